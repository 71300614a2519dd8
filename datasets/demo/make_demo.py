#!/usr/bin/env python3
"""Write the coseval demo data set: hand-written problems, samples and judgments (stdlib only, deterministic)."""
import csv
import hashlib
import io
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# GSM8K-style problems: (id, question, solution ending in "#### gold").
# ---------------------------------------------------------------------------
GSM = [
    ("g01", "A bakery packs muffins in boxes of 6. On Monday it sold 14 boxes, and on Tuesday it sold 9 more boxes than on Monday. How many muffins did the bakery sell on the two days together?",
     "On Tuesday the bakery sold 14 + 9 = <<14+9=23>>23 boxes.\nOver both days it sold 14 + 23 = <<14+23=37>>37 boxes.\nThat is 37 * 6 = <<37*6=222>>222 muffins.\n#### 222"),
    ("g02", "Priya puts $15 into her savings every week. After 8 weeks she spends one third of her savings on a bicycle helmet. How many dollars does she have left?",
     "After 8 weeks Priya has 15 * 8 = $<<15*8=120>>120.\nThe helmet costs 120 / 3 = $<<120/3=40>>40.\nShe has 120 - 40 = $<<120-40=80>>80 left.\n#### 80"),
    ("g03", "A freight train runs at 60 miles per hour for 2.5 hours and then at 45 miles per hour for 1.5 hours. How many miles does it travel in all?",
     "In the first part it travels 60 * 2.5 = <<60*2.5=150>>150 miles.\nIn the second part it travels 45 * 1.5 = <<45*1.5=67.5>>67.5 miles.\nIn all it travels 150 + 67.5 = <<150+67.5=217.5>>217.5 miles.\n#### 217.5"),
    ("g04", "A gardener plants 24 rows of tulip bulbs with 55 bulbs in each row. In spring, 120 of the bulbs do not sprout and every other bulb blooms. How many tulips bloom?",
     "The gardener plants 24 * 55 = <<24*55=1320>>1320 bulbs.\nOf these, 1320 - 120 = <<1320-120=1200>>1200 bloom.\n#### 1200"),
    ("g05", "Marco buys 3 notebooks for $2.50 each and one pen for $1.25. He pays with a $20 bill. How much change, in dollars, does he get?",
     "The notebooks cost 3 * 2.50 = $<<3*2.5=7.5>>7.50.\nWith the pen he spends 7.50 + 1.25 = $<<7.5+1.25=8.75>>8.75.\nHis change is 20 - 8.75 = $<<20-8.75=11.25>>11.25.\n#### 11.25"),
    ("g06", "An empty tank holds 90 liters. A hose pours in 6 liters per minute while a leak lets out 1.5 liters per minute. How many minutes does it take to fill the tank?",
     "The tank gains 6 - 1.5 = <<6-1.5=4.5>>4.5 liters each minute.\nFilling 90 liters takes 90 / 4.5 = <<90/4.5=20>>20 minutes.\n#### 20"),
    ("g07", "Lena reads 18 pages on each weekday and 30 pages on each day of the weekend. How many pages does she read in 2 weeks?",
     "In one week she reads 5 * 18 = <<5*18=90>>90 pages on weekdays and 2 * 30 = <<2*30=60>>60 pages on the weekend.\nThat is 90 + 60 = <<90+60=150>>150 pages a week.\nIn 2 weeks she reads 150 * 2 = <<150*2=300>>300 pages.\n#### 300"),
    ("g08", "A pancake recipe needs 2.5 cups of flour to make 10 pancakes. How many cups of flour are needed to make 30 pancakes?",
     "30 pancakes is 30 / 10 = <<30/10=3>>3 times the recipe.\nSo the flour needed is 3 * 2.5 = <<3*2.5=7.5>>7.5 cups.\n#### 7.5"),
    ("g09", "Tom is 4 times as old as his daughter. In 6 years he will be 3 times as old as she will be then. How old is Tom now?",
     "Let the daughter be d years old, so Tom is 4d.\nIn 6 years: 4d + 6 = 3(d + 6) = 3d + 18, so d = <<18-6=12>>12.\nTom is 4 * 12 = <<4*12=48>>48 years old.\n#### 48"),
    ("g10", "A small farm keeps only chickens and cows. Together the animals have 30 heads and 74 legs. How many cows are on the farm?",
     "If all 30 animals were chickens they would have 30 * 2 = <<30*2=60>>60 legs.\nThe other 74 - 60 = <<74-60=14>>14 legs come from cows, which have 2 extra legs each.\nSo there are 14 / 2 = <<14/2=7>>7 cows.\n#### 7"),
    ("g11", "A shop raises the $40 price of a jacket by 25%. Later the jacket goes on sale at 20% off the raised price. What is the sale price in dollars?",
     "The raised price is 40 * 1.25 = $<<40*1.25=50>>50.\nThe sale takes off 50 * 0.20 = $<<50*0.2=10>>10.\nThe sale price is 50 - 10 = $<<50-10=40>>40.\n#### 40"),
    ("g12", "Dana cycles 12 km each way between home and work, 5 days a week. How many kilometers does she cycle for work in 4 weeks?",
     "Each work day she cycles 12 * 2 = <<12*2=24>>24 km.\nEach week she cycles 24 * 5 = <<24*5=120>>120 km.\nIn 4 weeks she cycles 120 * 4 = <<120*4=480>>480 km.\n#### 480"),
    ("g13", "Concert tickets cost $18 for an adult and $12 for a child. A group of 5 adults and 7 children buys tickets in one order, and the website adds a $6 booking fee to the order. How much does the group pay in total?",
     "Adult tickets cost 5 * 18 = $<<5*18=90>>90.\nChild tickets cost 7 * 12 = $<<7*12=84>>84.\nWith the fee the total is 90 + 84 + 6 = $<<90+84+6=180>>180.\n#### 180"),
    ("g14", "Maya's phone plan costs $35 a month and includes 200 texts. Each text beyond 200 costs $0.10. Last month Maya sent 275 texts. How much was her bill in dollars?",
     "Maya sent 275 - 200 = <<275-200=75>>75 extra texts.\nThey cost 75 * 0.10 = $<<75*0.1=7.5>>7.50.\nHer bill was 35 + 7.50 = $<<35+7.5=42.5>>42.50.\n#### 42.5"),
    ("g15", "A town library had 1,400 books. It gave away 15% of them to a school and then bought 260 new books. How many books does the library have now?",
     "The library gave away 1400 * 0.15 = <<1400*0.15=210>>210 books.\nIt kept 1400 - 210 = <<1400-210=1190>>1190 books.\nAfter buying new ones it has 1190 + 260 = <<1190+260=1450>>1450 books.\n#### 1450"),
    ("g16", "A painter paints 3 rooms in 2 days. Working at the same rate, how many days does the painter need for 12 rooms?",
     "12 rooms is 12 / 3 = <<12/3=4>>4 groups of 3 rooms.\nEach group takes 2 days, so the painter needs 4 * 2 = <<4*2=8>>8 days.\n#### 8"),
    ("g17", "Ahmed has 3 times as many stamps as Bea. Bea has 14 fewer stamps than Cal, and Cal has 40 stamps. How many stamps do the three of them have altogether?",
     "Bea has 40 - 14 = <<40-14=26>>26 stamps.\nAhmed has 3 * 26 = <<3*26=78>>78 stamps.\nAltogether they have 40 + 26 + 78 = <<40+26+78=144>>144 stamps.\n#### 144"),
    ("g18", "A rectangular garden measures 18 m by 12 m. A path 1 m wide runs all the way around the outside of the garden. What is the area of the path in square meters?",
     "With the path, the outer rectangle is 18 + 2 = <<18+2=20>>20 m by 12 + 2 = <<12+2=14>>14 m.\nIts area is 20 * 14 = <<20*14=280>>280 square meters.\nThe garden's area is 18 * 12 = <<18*12=216>>216 square meters.\nThe path covers 280 - 216 = <<280-216=64>>64 square meters.\n#### 64"),
    ("g19", "A car uses 8 liters of fuel for every 100 km. Fuel costs $1.75 per liter. How many dollars does the fuel for a 350 km trip cost?",
     "The trip needs 350 / 100 * 8 = <<350/100*8=28>>28 liters.\nThe fuel costs 28 * 1.75 = $<<28*1.75=49>>49.\n#### 49"),
    ("g20", "Sofia earns $22 an hour. For every hour over 40 in a week she is paid time and a half. Last week she worked 46 hours. How much did she earn last week in dollars?",
     "Her regular pay is 40 * 22 = $<<40*22=880>>880.\nHer overtime rate is 22 * 1.5 = $<<22*1.5=33>>33 an hour, for 46 - 40 = <<46-40=6>>6 hours.\nOvertime pay is 6 * 33 = $<<6*33=198>>198.\nShe earned 880 + 198 = $<<880+198=1078>>1078.\n#### 1078"),
    ("g21", "Crayons come in boxes of 24. A teacher wants to give each of her 30 students 5 crayons. What is the smallest number of boxes she must buy?",
     "She needs 30 * 5 = <<30*5=150>>150 crayons.\n6 boxes hold 6 * 24 = <<6*24=144>>144 crayons, which is not enough.\nSo she must buy 7 boxes.\n#### 7"),
    ("g22", "A machine makes 2,500 bottles an hour, and 4% of the bottles it makes are defective. How many good bottles does it make in an 8-hour shift?",
     "Each hour 2500 * 0.04 = <<2500*0.04=100>>100 bottles are defective, so 2500 - 100 = <<2500-100=2400>>2400 are good.\nIn 8 hours it makes 2400 * 8 = <<2400*8=19200>>19200 good bottles.\n#### 19200"),
    ("g23", "Jin and three friends share a dinner bill of $64.80 equally. Jin also leaves a $3 tip from his own pocket. How much does Jin pay in all?",
     "Four people share the bill, so each pays 64.80 / 4 = $<<64.8/4=16.2>>16.20.\nWith the tip Jin pays 16.20 + 3 = $<<16.2+3=19.2>>19.20.\n#### 19.2"),
    ("g24", "At 6 a.m. the temperature is -4 degrees. It rises by 3 degrees every hour until noon. What is the temperature at noon?",
     "From 6 a.m. to noon is 6 hours.\nThe temperature rises 6 * 3 = <<6*3=18>>18 degrees.\nAt noon it is -4 + 18 = <<-4+18=14>>14 degrees.\n#### 14"),
]

# ---------------------------------------------------------------------------
# Sample tags. C correct final answer; J correct, judged sound; F correct, judged
# flawed (a false positive); f correct, flawed reasoning, not judged; W wrong final
# answer; N no final answer. A trailing "t" marks a truncated output
# (finish_reason "length"). ("D", k) repeats sample k of the same list verbatim.
# ---------------------------------------------------------------------------
GSM_WC = {
    "g01": [
        ("J", "Tuesday's sales were 14 + 9 = 23 boxes. Together that is 14 + 23 = 37 boxes. Each box holds 6 muffins, so 37 * 6 = 222 muffins.\n#### 222"),
        ("D", 0),
        ("C", "Monday: 14 * 6 = 84 muffins. Tuesday: (14 + 9) * 6 = 138 muffins. Total 84 + 138 = 222. The answer is 222."),
        ("W", "On Tuesday it sold 9 more boxes, so 14 + 9 = 23 boxes in all. 23 * 6 = 138 muffins.\n#### 138"),
        ("C", "23 boxes on Tuesday and 14 on Monday make 37 boxes, which is 37 x 6 = 222 muffins. Final answer: 222"),
        ("C", "Boxes sold: 14 + (14 + 9) = 37. Muffins: 37 * 6 = 222.\n**222**"),
    ],
    "g02": [
        ("J", "After 8 weeks she has 15 * 8 = $120. A third of that is 120 / 3 = $40, so she has 120 - 40 = $80 left.\n#### 80"),
        ("W", "She saves 15 * 8 = $120 and spends a third, which is $40. The answer is 40."),
        ("C", "Savings: $120. She keeps two thirds: 120 * 2/3 = 80. The answer is $80."),
        ("D", 0),
        ("f", "She saves 15 * 8 = $100. She spends a third of it, about $20, so she has 100 - 20 = $80 left.\n#### 80"),
        ("Nt", "First find how much she saves in total, then take away the helmet. Saving every week adds up, and a third of the savings goes to the helmet, so the rest is what remains after"),
    ],
    "g03": [
        ("J", "First part: 60 * 2.5 = 150 miles. Second part: 45 * 1.5 = 67.5 miles. Total 150 + 67.5 = 217.5 miles.\n#### 217.5"),
        ("W", "60 * 2.5 = 150 and 45 * 1.5 = 67. So the train went 150 + 67 = 217 miles. The answer is 217."),
        ("C", "Distance = 150 + 67.5 = 217.5 miles. The answer is 217.5 miles."),
        ("W", "Average speed is (60 + 45) / 2 = 52.5 mph over 4 hours, so 52.5 * 4 = 210 miles.\n#### 210"),
        ("C", "60 x 2.5 gives 150 and 45 x 1.5 gives 67.5. Final answer: 217.50"),
        ("D", 3),
    ],
    "g04": [
        ("C", "He plants 24 * 55 = 1,320 bulbs. Subtracting the 120 that fail leaves 1,320 - 120 = 1,200 flowers.\n#### 1200"),
        ("C", "24 rows x 55 bulbs = 1320 bulbs, and 1320 - 120 = 1200 bloom. The answer is 1,200."),
        ("W", "24 * 50 = 1200 bulbs, minus 120 failures is 1080.\n#### 1080"),
        ("F", "There are 24 * 55 = 1,300 bulbs. Taking away the 120 that fail gives 1,300 - 100 = 1,200 flowers. The answer is 1200."),
        ("D", 1),
        ("Nt", "We need the number of bulbs planted, which is rows times bulbs per row, and then we remove the ones that do not sprout. Let me set that up carefully before computing anything"),
    ],
    "g05": [
        ("J", "Notebooks cost 3 * 2.50 = $7.50. With the pen the total is 7.50 + 1.25 = $8.75. Change: 20 - 8.75 = $11.25.\n#### 11.25"),
        ("W", "Total is 3 * 2.50 + 1.25 = $8.75, so he spends $8.75. The answer is 8.75."),
        ("C", "He pays $8.75 and gets back $20 - $8.75 = $11.25. The answer is $11.25."),
        ("W", "3 * 2.5 = 7.5, plus 1.25 = 9.75. Change = 20 - 9.75 = 10.25.\n#### 10.25"),
        ("D", 2),
        ("Nt", "Add the notebooks and the pen, then take that away from the bill he hands over. The notebooks are the bigger part of the cost, and the pen is cheap, so the change should be"),
    ],
    "g06": [
        ("J", "The tank gains 6 - 1.5 = 4.5 liters each minute. 90 / 4.5 = 20 minutes.\n#### 20"),
        ("W", "The hose fills 6 liters per minute, so 90 / 6 = 15 minutes. The answer is 15."),
        ("C", "Net rate 4.5 L/min. Time = 90 / 4.5 = 20. Final answer: 20 minutes"),
        ("W", "Net rate is 6 + 1.5 = 7.5 liters per minute, so 90 / 7.5 = 12 minutes.\n#### 12"),
        ("D", 0),
        ("D", 1),
    ],
    "g07": [
        ("C", "In one week she reads 5 * 18 + 2 * 30 = 90 + 60 = 150 pages. In 2 weeks that is 300 pages.\n#### 300"),
        ("D", 0),
        ("C", "Weekdays: 10 days * 18 = 180 pages. Weekend days: 4 * 30 = 120 pages. 180 + 120 = 300. The answer is 300."),
        ("W", "She reads 18 + 30 = 48 pages a week, so 48 * 2 = 96 pages.\n#### 96"),
        ("F", "A week has 5 weekdays and 2 weekend days. 5 * 18 = 80 and 2 * 30 = 70, so a week is 150 pages and two weeks are 300 pages. The answer is 300."),
        ("C", "14 days = 10 weekdays + 4 weekend days, so 10*18 + 4*30 = 300 pages. **300**"),
    ],
    "g08": [
        ("C", "30 pancakes is 3 times 10 pancakes, so she needs 3 * 2.5 = 7.5 cups.\n#### 7.5"),
        ("J", "Each pancake uses 2.5 / 10 = 0.25 cups, so 30 pancakes use 30 * 0.25 = 7.5 cups. The answer is 7.5."),
        ("D", 0),
        ("W", "The extra 20 pancakes need 2.5 * 2 = 5 cups, so she needs 5 cups.\n#### 5"),
        ("C", "Scale factor 30/10 = 3; flour = 7 1/2 cups. Final answer: 7.50"),
        ("Nt", "Flour scales with the pancakes. Since the recipe grows, the flour grows by the same factor, so I should multiply the cups by that factor and"),
    ],
    "g09": [
        ("W", "Let d be the daughter's age. 4d + 6 = 3d + 6, so d = 0... that cannot be right. Let me say Tom is 36.\n#### 36"),
        ("W", "If Tom is 4 times as old and later 3 times, the difference 4 - 3 = 1 times is 6 years, so the daughter is 6 and Tom is 24. The answer is 24."),
        ("C", "Let d be the daughter's age, so Tom is 4d. In 6 years: 4d + 6 = 3(d + 6) = 3d + 18, so d = 12. Tom is 4 * 12 = 48.\n#### 48"),
        ("D", 1),
        ("Nt", "Let the daughter's age be d and Tom's age be four times d. In some years the ratio changes, and we need to compare the two ages at that point, so we write the relationship and"),
        ("W", "4d + 6 = 3(d + 6) gives d = 6, so Tom is 24. Final answer: 24"),
    ],
    "g10": [
        ("C", "If all 30 were chickens there would be 60 legs. The extra 74 - 60 = 14 legs come from cows, 2 extra each, so 14 / 2 = 7 cows.\n#### 7"),
        ("W", "Let c be cows. 4c + 2(30 - c) = 74 gives 2c = 14, so c = 14.\n#### 14"),
        ("C", "c + h = 30 and 4c + 2h = 74. Subtract twice the first: 2c = 14, c = 7. The answer is 7."),
        ("W", "74 legs / 4 = 18.5, so about 18 cows. The answer is 18."),
        ("f", "Let c be cows. 4c + 2(30 - c) = 74, so 6c - 60 = 74. Rearranging, 2c = 14 and c = 7. The answer is 7."),
        ("D", 1),
    ],
    "g11": [
        ("W", "The price goes up 25% and down 20%, a net change of +5%. 40 * 1.05 = 42.\n#### 42"),
        ("D", 0),
        ("C", "After the markup the jacket costs 40 * 1.25 = $50. Then 20% off: 50 * 0.8 = $40. The answer is 40."),
        ("F", "The markup is 25% of 40 = $10, so it costs $50. The sale takes 20% of $40 = $10 off, so the sale price is $40.\n#### 40"),
        ("W", "40 * 1.25 = 50, and 20% off 50 is 10, so the sale price is $10. The answer is 10."),
        ("Nt", "Markups and discounts do not simply add, so I should apply them one after another to the original price of the jacket. Applying the markup first gives a new price, and then the discount is taken from"),
    ],
    "g12": [
        ("C", "Each day she rides 12 * 2 = 24 km. A week is 24 * 5 = 120 km, and 4 weeks is 120 * 4 = 480 km.\n#### 480"),
        ("D", 0),
        ("J", "Round trip 24 km, 20 work days in 4 weeks, 24 * 20 = 480 km. The answer is 480."),
        ("W", "12 km * 5 days = 60 km per week, times 4 weeks = 240 km.\n#### 240"),
        ("Ct", "Total = 12 * 2 * 5 * 4 = 480, so the answer is \\boxed{480"),
        ("D", 2),
    ],
    "g13": [
        ("C", "Adults: 5 * 18 = $90. Children: 7 * 12 = $84. With the fee: 90 + 84 + 6 = $180.\n#### 180"),
        ("W", "5 * 18 + 7 * 12 = 90 + 84 = 174. The answer is 174."),
        ("C", "Tickets cost $174 and the booking fee adds $6, for $180 in all. The answer is $180."),
        ("D", 0),
        ("F", "Adults pay 5 * 18 = $96, children pay 7 * 12 = $78, and 96 + 78 = 174. Adding the $6 fee gives $180.\n#### 180"),
        ("W", "5 * 18 = 90 and 7 * 12 = 84, so 90 + 84 + 6 * 12 = 246. The answer is 246."),
    ],
    "g14": [
        ("J", "She went 275 - 200 = 75 texts over. 75 * $0.10 = $7.50. Her bill is $35 + $7.50 = $42.50.\n#### 42.50"),
        ("W", "275 * 0.10 = 27.50, plus 35 = 62.50. The answer is 62.50."),
        ("C", "Extra texts: 75, costing $7.50, so the bill is $42.50. The answer is $42.50."),
        ("D", 1),
        ("C", "35 + (275 - 200)(0.10) = 35 + 7.5 = 42.5. Final answer: $42.5"),
        ("Nt", "The plan has a fixed monthly part and a per-text part that only starts after the included texts are used up. So I need to count how many texts go past the limit first, then"),
    ],
    "g15": [
        ("W", "15% of 1,400 is 140, so 1,400 - 140 = 1,260, plus 260 = 1,520.\n#### 1520"),
        ("C", "15% of 1,400 = 210 books given away, leaving 1,190. Adding 260 gives 1,450 books.\n#### 1,450"),
        ("W", "1,400 + 260 = 1,660 and 15% of that is 249, so 1,660 - 249 = 1,411. The answer is 1411."),
        ("C", "After the gift the library keeps 85%: 0.85 * 1400 = 1190. Then 1190 + 260 = 1450. The answer is 1450."),
        ("D", 2),
        ("W", "Gave away 210, bought 260, so the net change is 50: 1400 + 50 = 1450... no wait, it lost books, so 1400 - 50 = 1350.\n#### 1350"),
    ],
    "g16": [
        ("C", "3 rooms take 2 days, so 12 rooms, which is 4 times as many, take 4 * 2 = 8 days.\n#### 8"),
        ("D", 0),
        ("J", "Rate: 1.5 rooms per day. 12 / 1.5 = 8 days. The answer is 8."),
        ("C", "Each room takes 2/3 of a day; 12 rooms take 12 * 2/3 = 8 days. **8**"),
        ("W", "12 rooms / 3 rooms = 4, and 4 + 2 = 6 days.\n#### 6"),
        ("D", 2),
    ],
    "g17": [
        ("C", "Bea has 40 - 14 = 26 stamps and Ahmed has 3 * 26 = 78. Together: 40 + 26 + 78 = 144.\n#### 144"),
        ("W", "Bea has 40 - 14 = 26 and Ahmed has 3 * 26 = 78. Total for Ahmed and Bea: 104. The answer is 104."),
        ("f", "Bea has 26 stamps and Ahmed 3 * 26 = 68 stamps, so all three have 40 + 26 + 68 = 144 stamps.\n#### 144"),
        ("W", "Bea: 40 - 14 = 26. Ahmed: 26 * 3 = 78. Sum: 40 + 26 + 78 = 154. The answer is 154."),
        ("C", "Cal 40, Bea 26, Ahmed 78, so 144 stamps in total. Final answer: 144"),
        ("Nt", "We should start from Cal because his count is given directly, then work out Bea from Cal and Ahmed from Bea, and finally add all three people together. Starting with Cal"),
    ],
    "g18": [
        ("W", "The path adds 1 m to each side: 19 by 13 = 247. 247 - 216 = 31.\n#### 31"),
        ("W", "Perimeter is 2(18 + 12) = 60 m, and a 1 m wide path has area 60 square meters. The answer is 60."),
        ("D", 1),
        ("C", "With the path the outer rectangle is 20 m by 14 m, area 280 m^2. The garden is 18 * 12 = 216 m^2. The path is 280 - 216 = 64 m^2.\n#### 64"),
        ("W", "Outer: 20 * 14 = 280. Path = 280 - 18 * 12 = 280 - 206 = 74. The answer is 74."),
        ("Nt", "The path wraps around the outside of the garden, so its outer edge is a bigger rectangle. The area of the path is the difference between the big rectangle and the garden, which I will now work out by"),
    ],
    "g19": [
        ("J", "350 km needs 8 * 3.5 = 28 liters. At $1.75 per liter that is 28 * 1.75 = $49.\n#### 49"),
        ("W", "8 liters per 100 km, so 350 km takes 8 * 35 = 280 liters, costing 280 * 1.75 = $490. The answer is 490."),
        ("C", "Fuel: 28 L. Cost: 28 * 1.75 = 49 dollars. The answer is $49.00."),
        ("Wt", "350 / 8 = 43.75 liters, and at 1.75 per liter the cost is \\boxed{76.5"),
        ("D", 0),
        ("Nt", "Fuel use is given per hundred kilometers, so I first convert the trip length into hundreds of kilometers, then multiply by the fuel rate and by the price per liter, which"),
    ],
    "g20": [
        ("W", "46 * 22 = 1012. The answer is 1012."),
        ("W", "Regular pay 40 * 22 = 880. Overtime 6 * 22 * 1.5 = 188, total 880 + 188 = 1,068.\n#### 1068"),
        ("W", "Overtime rate 22 + 1.5 = 23.5; 6 * 23.5 = 141; 880 + 141 = 1,021. The answer is 1021."),
        ("D", 0),
        ("Nt", "Overtime starts after the usual weekly hours, and those extra hours are paid at a higher rate. I need the regular part and the overtime part separately, and the regular part is the hourly wage times"),
        ("W", "46 hours at 1.5 * 22 = 33 per hour is 46 * 33 = 1,518. Final answer: 1518"),
    ],
    "g21": [
        ("W", "30 * 5 = 150 crayons. 150 / 24 = 6.25 boxes.\n#### 6.25"),
        ("C", "The class needs 150 crayons. 6 boxes give only 144, so they need 7 boxes. The answer is 7."),
        ("W", "150 / 24 = 6.25, so 6 boxes. The answer is 6."),
        ("D", 0),
        ("C", "150 crayons / 24 per box = 6.25, round up to 7 boxes.\n#### 7"),
        ("W", "A box serves 24 / 5 = 4.8 students, and 30 / 4.8 = 6.25, which rounds to 6.\n#### 6"),
    ],
    "g22": [
        ("W", "2,500 * 8 = 20,000 bottles, and 4% of 2,500 is 100, so 20,000 - 100 = 19,900.\n#### 19900"),
        ("C", "Good bottles per hour: 2,500 - 100 = 2,400. In 8 hours: 2,400 * 8 = 19,200. The answer is 19,200."),
        ("W", "4% of 20,000 is 80, so 20,000 - 80 = 19,920. The answer is 19920."),
        ("D", 2),
        ("W", "20,000 bottles in total, and 4% defective is 800, so 800 are bad.\n#### 800"),
        ("Nt", "The machine runs for a whole shift and a small share of the bottles are defective. The good bottles are what is left after removing that share, so the count is the total made times"),
    ],
    "g23": [
        ("C", "Each share is $64.80 / 4 = $16.20. Jin adds $3, paying $19.20.\n#### 19.20"),
        ("W", "64.80 / 5 = 12.96, plus 3 = 15.96. The answer is 15.96."),
        ("C", "16.20 + 3.00 = 19.20. The answer is $19.20."),
        ("D", 0),
        ("W", "$64.80 + $3 = $67.80, split four ways is $16.95. The answer is 16.95."),
        ("Nt", "The bill is shared equally by the friends, and Jin puts in an extra tip only for himself. So Jin's payment is his equal share plus the tip, and the equal share is"),
    ],
    "g24": [
        ("C", "From 6 am to noon is 6 hours, so it rises 6 * 3 = 18 degrees. -4 + 18 = 14 degrees.\n#### 14"),
        ("W", "It rises 3 degrees an hour for 6 hours: 18 degrees. The temperature at noon is 18 degrees. The answer is 18."),
        ("f", "From 6 am to noon is 5 hours, a rise of 5 * 3 = 15 degrees, and -4 + 15 = 14 degrees. The answer is 14."),
        ("W", "-4 - 18 = -22. The answer is -22."),
        ("D", 1),
        ("C", "Noon temperature: -4 + 3 * 6 = 14. Final answer: 14 degrees"),
    ],
}

GSM_SE = {
    "g01": [("J", "Tuesday had 14 + 9 = 23 boxes, so the two days had 37 boxes. At 6 muffins per box that is 222 muffins. The answer is 222."),
            ("C", "Monday 84 muffins, Tuesday 23 * 6 = 138 muffins; 84 + 138 = 222.\n#### 222")],
    "g02": [("J", "15 * 8 = 120 dollars saved. The helmet costs 120 / 3 = 40 dollars. She has 120 - 40 = 80 dollars left.\n#### 80"),
            ("C", "She keeps 2/3 of 15 * 8 = 120, which is 80. The answer is 80.")],
    "g03": [("C", "At 60 mph for 2.5 h it goes 150 miles; at 45 mph for 1.5 h it goes 67.5 miles. In total 217.5 miles.\n#### 217.5"),
            ("W", "150 miles plus 45 * 1.5 = 62.5 miles gives 212.5 miles. The answer is 212.5.")],
    "g04": [("J", "Total bulbs: 24 * 55 = 1320. Blooming: 1320 - 120 = 1200. The answer is 1200."),
            ("C", "The gardener plants 1,320 bulbs and 120 do not sprout, so 1,200 tulips bloom.\n#### 1,200")],
    "g05": [("C", "Cost: 3 * $2.50 + $1.25 = $8.75. Change from $20: $11.25. The answer is 11.25."),
            ("W", "3 * 2.50 = 7.50 and 7.50 + 1.25 = 8.75. 20 - 8.75 = 12.25.\n#### 12.25")],
    "g06": [("J", "Each minute the water rises by 6 - 1.5 = 4.5 liters, so filling 90 liters takes 90 / 4.5 = 20 minutes. The answer is 20."),
            ("C", "4.5 liters per minute net; 90 liters need 20 minutes. \\boxed{20}")],
    "g07": [("J", "Per week: 5 * 18 = 90 plus 2 * 30 = 60, total 150. Two weeks: 300 pages.\n#### 300"),
            ("C", "Over 14 days there are 10 weekdays and 4 weekend days: 180 + 120 = 300 pages. The answer is 300.")],
    "g08": [("C", "Flour per pancake is 0.25 cups, so for 30 pancakes: 7.5 cups.\n#### 7.5"),
            ("W", "Three times the recipe: 3 * 2.5 = 7.25 cups. The answer is 7.25.")],
    "g09": [("W", "Let Tom be T and his daughter D, with T = 4D. Then T + 6 = 3D + 6, so 4D = 3D and D = 0. Since that is impossible, the problem must mean D = 9 and T = 36. The answer is 36."),
            ("W", "T = 4D and T + 6 = 3(D + 6) give 4D + 6 = 3D + 18, so D = 24 and T = 96.\n#### 96")],
    "g10": [("J", "With c cows and 30 - c chickens: 4c + 2(30 - c) = 74, so 2c + 60 = 74 and c = 7.\n#### 7"),
            ("W", "With 30 heads there are at least 60 legs, leaving 74 - 60 = 14. Each cow has 4 extra legs, so 14 / 4 = 3.5, about 4 cows. The answer is 4.")],
    "g11": [("C", "Marked-up price: $40 + 0.25 * $40 = $50. Sale price: $50 - 0.20 * $50 = $40.\n#### 40"),
            ("W", "+25% then -20% is +5% overall, so the sale price is $42. The answer is 42.")],
    "g12": [("C", "Daily 24 km, weekly 120 km, four weeks 480 km. The answer is 480."),
            ("C", "12 km each way is 24 km a day; 5 days * 4 weeks = 20 days; 20 * 24 = 480 km.\n#### 480")],
    "g13": [("J", "90 + 84 = 174 for tickets, plus the $6 fee: $180.\n#### 180"),
            ("W", "The fee applies to each of the 12 people: 12 * 6 = 72, and 90 + 84 + 72 = 246. The answer is 246.")],
    "g14": [("C", "Over the limit by 75 texts: 75 * 0.10 = 7.50. Bill: 35 + 7.50 = 42.50 dollars. The answer is 42.50."),
            ("Nt", "Maya pays the base price every month. The texts beyond the included amount cost extra, so the bill depends on how far she went over, which I will compute from")],
    "g15": [("W", "The library gives away 15% of 1,400, which is 200 books, leaving 1,200; with 260 new books it has 1,460. The answer is 1460."),
            ("W", "1400 * 0.85 = 1,180, then 1,180 + 260 = 1,440.\n#### 1440")],
    "g16": [("C", "Twelve rooms is four batches of 3 rooms, each batch taking 2 days: 8 days. The answer is 8."),
            ("C", "1.5 rooms per day means 12 rooms take 8 days.\n#### 8")],
    "g17": [("C", "Bea = 40 - 14 = 26, Ahmed = 3 * 26 = 78, total = 40 + 26 + 78 = 144. The answer is 144."),
            ("W", "Bea = 40 - 14 = 26, Ahmed = 3 * 40 = 120, total = 40 + 26 + 120 = 186.\n#### 186")],
    "g18": [("W", "Perimeter times width: 2 * (18 + 12) * 1 = 60 square meters. The answer is 60."),
            ("W", "Outer rectangle 19 m by 13 m = 247, minus the garden's 216, so the path is 31 square meters.\n#### 31")],
    "g19": [("C", "Liters used: 350 / 100 * 8 = 28. Cost: 28 * $1.75 = $49.\n#### 49"),
            ("F", "350 km is 3.5 hundreds of km, so it uses 3.5 * 8 = 24 liters, and 24 * 1.75 = 49. The answer is 49.")],
    "g20": [("J", "Regular: 40 * $22 = $880. Overtime: 6 hours * $33 = $198. Total $1,078.\n#### 1078"),
            ("W", "40 * 22 = 880 and 6 * 22 = 132, total 1012. The answer is 1012.")],
    "g21": [("C", "They need 30 * 5 = 150 crayons; 150 / 24 = 6.25, so they must buy 7 boxes. The answer is 7."),
            ("W", "150 / 24 = 6.25 boxes. The answer is 6.25.")],
    "g22": [("J", "Total 2,500 * 8 = 20,000 bottles; defective 4% = 800; good 19,200.\n#### 19200"),
            ("W", "2,500 * 0.96 = 2,450 per hour, times 8 = 19,600. The answer is 19600.")],
    "g23": [("C", "Equal share: 64.80 / 4 = 16.20 dollars; with the $3 tip, Jin pays 19.20 dollars. The answer is 19.2."),
            ("C", "Jin's share $16.20 plus $3.00 tip = $19.20.\n#### 19.20")],
    "g24": [("C", "Six hours pass from 6 am to noon: 6 * 3 = 18 degrees of warming, so -4 + 18 = 14 degrees. The answer is 14."),
            ("C", "-4 + 18 = 14 degrees at noon.\n#### 14")],
}

# ---------------------------------------------------------------------------
# MATH-style problems: (number, subject, level, problem, solution); the answer is
# the content of the last \boxed{} of the solution.
# ---------------------------------------------------------------------------
MATH = [
    (1, "Algebra", 3, r"Find the ordered pair $(x,y)$ that satisfies both $x + 2y = 0$ and $3x - y = 7$.",
     r"From the first equation, $x = -2y$. Substituting into the second gives $-6y - y = 7$, so $y = -1$ and $x = 2$. The ordered pair is $\boxed{(2, -1)}$."),
    (2, "Algebra", 2, r"Find all solutions of $x^2 + 4 = 5x$. Enter all the solutions, separated by commas.",
     r"Moving every term to one side gives $x^2 - 5x + 4 = 0$, which factors as $(x - 1)(x - 4) = 0$. The solutions are $\boxed{1, 4}$."),
    (3, "Prealgebra", 2, r"What is $\frac{2}{3}$ of $\frac{9}{8}$? Express your answer as a common fraction.",
     r"We multiply: $\frac{2}{3} \cdot \frac{9}{8} = \frac{18}{24} = \boxed{\frac{3}{4}}$."),
    (4, "Number Theory", 3, r"What is the remainder when $7^{20}$ is divided by $5$?",
     r"Since $7 \equiv 2 \pmod 5$ and $2^4 = 16 \equiv 1 \pmod 5$, we have $7^{20} \equiv 2^{20} = (2^4)^5 \equiv 1 \pmod 5$. The remainder is $\boxed{1}$."),
    (5, "Counting & Probability", 2, r"Two fair six-sided dice are rolled. What is the probability that the two numbers shown add up to $9$? Express your answer as a common fraction.",
     r"Of the $36$ equally likely ordered outcomes, the ones with sum $9$ are $(3,6)$, $(4,5)$, $(5,4)$ and $(6,3)$. The probability is $\frac{4}{36} = \boxed{\frac{1}{9}}$."),
    (6, "Geometry", 2, r"A circle has circumference $10\pi$. What is the area of the circle? Express your answer in terms of $\pi$.",
     r"From $2\pi r = 10\pi$ we get $r = 5$, so the area is $\pi r^2 = \boxed{25\pi}$."),
    (7, "Algebra", 4, r"What is the domain of the function $f(x) = \frac{\sqrt{x}}{\sqrt{3 - x}}$? Express your answer in interval notation.",
     r"The numerator requires $x \ge 0$. The denominator requires $3 - x \ge 0$ and also must not be zero, so $x < 3$. The domain is $\boxed{[0, 3)}$."),
    (8, "Intermediate Algebra", 4, r"Find the minimum value of $x^2 + \frac{16}{x^2}$ over all nonzero real numbers $x$.",
     r"By AM-GM, $x^2 + \frac{16}{x^2} \ge 2\sqrt{x^2 \cdot \frac{16}{x^2}} = 8$, with equality when $x^2 = 4$. The minimum value is $\boxed{8}$."),
    (9, "Precalculus", 2, r"Compute $\arccos \frac{1}{2}$. Express your answer in radians.",
     r"Since $\cos \frac{\pi}{3} = \frac{1}{2}$ and $\frac{\pi}{3}$ lies in $[0, \pi]$, we have $\arccos \frac{1}{2} = \boxed{\frac{\pi}{3}}$."),
    (10, "Geometry", 3, r"A right triangle has legs of length $5$ and $12$. What is the length of the altitude drawn to the hypotenuse? Express your answer as a common fraction.",
     r"The hypotenuse is $\sqrt{5^2 + 12^2} = 13$ and the area is $\frac{1}{2} \cdot 5 \cdot 12 = 30$. If $h$ is the altitude to the hypotenuse, then $\frac{1}{2} \cdot 13 \cdot h = 30$, so $h = \boxed{\frac{60}{13}}$."),
    (11, "Number Theory", 1, r"What is the greatest common divisor of $84$ and $126$?",
     r"We have $84 = 2^2 \cdot 3 \cdot 7$ and $126 = 2 \cdot 3^2 \cdot 7$, so the greatest common divisor is $2 \cdot 3 \cdot 7 = \boxed{42}$."),
    (12, "Counting & Probability", 3, r"A club has $8$ members. In how many ways can it choose a president and, from the remaining members, a planning committee of $2$ people?",
     r"There are $8$ ways to choose the president and $\binom{7}{2} = 21$ ways to choose the committee from the other $7$ members, for $8 \cdot 21 = \boxed{168}$ ways."),
    (13, "Prealgebra", 3, r"The length of a rectangle is $40\%$ greater than its width, and its perimeter is $96$ cm. What is the area of the rectangle, in square centimeters?",
     r"Let the width be $w$; then the length is $1.4w$. Half the perimeter is $w + 1.4w = 2.4w = 48$, so $w = 20$ and the length is $28$. The area is $20 \cdot 28 = \boxed{560}$ square centimeters."),
    (14, "Algebra", 3, r"Simplify $\sqrt{50} + \sqrt{18}$.",
     r"We have $\sqrt{50} = \sqrt{25 \cdot 2} = 5\sqrt{2}$ and $\sqrt{18} = \sqrt{9 \cdot 2} = 3\sqrt{2}$, so the sum is $\boxed{8\sqrt{2}}$."),
    (15, "Geometry", 2, r"In triangle $ABC$, $\angle A$ is twice $\angle B$, and $\angle C$ is $20^\circ$ more than $\angle B$. What is the measure of $\angle A$?",
     r"Let $\angle B = x$. Then $2x + x + (x + 20^\circ) = 180^\circ$, so $4x = 160^\circ$ and $x = 40^\circ$. Therefore $\angle A = 2x = \boxed{80^\circ}$."),
    (16, "Intermediate Algebra", 2, r"What is the remainder when $f(x) = 2x^3 - 3x + 1$ is divided by $x - 2$?",
     r"By the Remainder Theorem the remainder is $f(2) = 2 \cdot 8 - 3 \cdot 2 + 1 = \boxed{11}$."),
    (17, "Precalculus", 3, r"Compute $\begin{pmatrix} 1 & 2 \\ 0 & 1 \end{pmatrix}^3$.",
     r"We have $\begin{pmatrix} 1 & 2 \\ 0 & 1 \end{pmatrix}^2 = \begin{pmatrix} 1 & 4 \\ 0 & 1 \end{pmatrix}$, and multiplying once more gives $\boxed{\begin{pmatrix} 1 & 6 \\ 0 & 1 \end{pmatrix}}$."),
    (18, "Counting & Probability", 4, r"A bag holds $4$ red marbles and $6$ blue marbles. Two marbles are drawn at random without replacement. What is the probability that they are the same color? Express your answer as a common fraction.",
     r"There are $\binom{10}{2} = 45$ equally likely pairs. Of these, $\binom{4}{2} = 6$ are both red and $\binom{6}{2} = 15$ are both blue. The probability is $\frac{21}{45} = \boxed{\frac{7}{15}}$."),
    (19, "Number Theory", 3, r"What is the sum of all positive divisors of $36$?",
     r"Since $36 = 2^2 \cdot 3^2$, the sum of its divisors is $(1 + 2 + 4)(1 + 3 + 9) = 7 \cdot 13 = \boxed{91}$."),
    (20, "Algebra", 5, r"For which positive number $k$ does the line $y = kx + 2$ meet the parabola $y = x^2 + 3$ in exactly one point?",
     r"Setting $x^2 + 3 = kx + 2$ gives $x^2 - kx + 1 = 0$. There is exactly one intersection point when the discriminant $k^2 - 4$ is zero, and since $k > 0$ we get $k = \boxed{2}$."),
    (21, "Intermediate Algebra", 5, r"Solve the inequality $\frac{x - 1}{x + 2} \ge 0$. Express your answer in interval notation.",
     r"The expression changes sign only at $x = 1$ and $x = -2$. It is positive for $x < -2$, negative for $-2 < x < 1$, and positive for $x > 1$. It equals zero at $x = 1$ and is undefined at $x = -2$. The solution is $\boxed{(-\infty,-2)\cup[1,\infty)}$."),
    (22, "Prealgebra", 1, r"A store has $48$ boxes of pencils with $25$ pencils in each box. How many pencils does the store have?",
     r"The store has $48 \cdot 25 = \boxed{1200}$ pencils."),
    (23, "Geometry", 4, r"A right circular cone has base radius $3$ and slant height $5$. What is its volume? Express your answer in terms of $\pi$.",
     r"The height is $\sqrt{5^2 - 3^2} = 4$, so the volume is $\frac{1}{3}\pi \cdot 3^2 \cdot 4 = \boxed{12\pi}$."),
    (24, "Precalculus", 4, r"If $\cos \theta = -\frac{1}{3}$ and $\theta$ lies in the second quadrant, find $\sin \theta$.",
     r"We have $\sin^2 \theta = 1 - \frac{1}{9} = \frac{8}{9}$. Sine is positive in the second quadrant, so $\sin \theta = \boxed{\frac{2\sqrt{2}}{3}}$."),
]

MATH_WC = {
    1: [
        ("J", r"From the first equation $x = -2y$. Substituting, $-6y - y = 7$, so $y = -1$ and $x = 2$. The ordered pair is $\boxed{(2, -1)}$."),
        ("D", 0),
        ("W", r"Adding the equations gives $4x + y = 7$. Trying $x = 1$ gives $y = 3$, so $\boxed{(1, 3)}$."),
        ("C", r"""Multiply the second equation by 2: $6x - 2y = 14$. Adding the first gives $7x = 14$, so $x = 2$, and then $y = -1$.
Final Answer: The final answer is $\left(2, -1\right)$. I hope it is correct."""),
        ("W", r"Solving, $x = 2$ and $y = -1$, so the pair is $\boxed{(-1, 2)}$."),
        ("C", r"Elimination gives $7x = 14$, so $x=2$ and $y=-1$. The answer is (2,-1)."),
    ],
    2: [
        ("C", r"Rewrite as $x^2 - 5x + 4 = 0$, which factors as $(x-1)(x-4) = 0$. The solutions are $\boxed{1, 4}$."),
        ("C", r"$x^2 - 5x + 4 = (x-4)(x-1)$, so $x = \boxed{4}$ or $x = \boxed{1}$."),
        ("W", r"By the quadratic formula $x = \frac{5 \pm \sqrt{25 - 16}}{2} = \frac{5 \pm 3}{2}$, so $x = \boxed{4}$."),
        ("D", 0),
        ("W", r"Factoring $x^2 - 5x + 4$ as $(x+1)(x+4)$ gives $\boxed{-1, -4}$."),
        ("Nt", r"Move everything to one side to get a quadratic in standard form. The constant term is positive and the linear coefficient is negative, so both roots are positive, and their product equals the constant term while their sum"),
    ],
    3: [
        ("J", r"$\frac{2}{3} \cdot \frac{9}{8} = \frac{18}{24} = \boxed{\frac{3}{4}}$."),
        ("C", r"Multiply: $\frac{2 \cdot 9}{3 \cdot 8} = \frac{18}{24}$, which is $\boxed{0.75}$."),
        ("D", 0),
        ("W", r"$\frac{2}{3} + \frac{9}{8} = \frac{16 + 27}{24} = \boxed{\frac{43}{24}}$."),
        ("C", r"Cancel the 3 into the 9 and the 2 into the 8: $\frac{1}{1} \cdot \frac{3}{4}$. The answer is $\dfrac{3}{4}$."),
        ("W", r"$\frac{2}{3} \div \frac{9}{8} = \frac{16}{27}$, so $\boxed{\frac{16}{27}}$."),
    ],
    4: [
        ("J", r"Since $7 \equiv 2 \pmod 5$ and $2^4 = 16 \equiv 1 \pmod 5$, we get $7^{20} \equiv (2^4)^5 \equiv 1$. The remainder is $\boxed{1}$."),
        ("W", r"$7 \equiv 2 \pmod 5$, and $2^{20} = (2^4)^5$. Since $2^4 = 16 \equiv 4 \pmod 5$, the remainder is $4^5 \equiv \boxed{4}$."),
        ("C", r"Powers of 7 end in 7, 9, 3, 1 repeating every 4, so $7^{20}$ ends in 1 and leaves remainder $\boxed{1}$ when divided by 5."),
        ("F", r"$7 \equiv 2 \pmod 5$, and $2^{20} = (2^2)^{10}$. Since $2^2 = 4 \equiv 1 \pmod 5$, $2^{20} \equiv 1$, so the remainder is $\boxed{1}$."),
        ("W", r"$7^{20}$ is odd, and $7 \equiv 2$, so the remainder is $\boxed{2}$."),
        ("Nt", r"Reduce the base modulo 5 first, then look for the cycle of its powers. The cycle length divides four by Fermat's little theorem, so I only need the exponent modulo the cycle length, which is"),
    ],
    5: [
        ("W", r"The sums from 2 to 12 are 11 outcomes, one of which is 9, so the probability is $\boxed{\frac{1}{11}}$."),
        ("C", r"The pairs $(3,6), (4,5), (5,4), (6,3)$ give a sum of 9, out of 36 outcomes: $\frac{4}{36} = \boxed{\frac{1}{9}}$."),
        ("W", r"Pairs summing to 9: $(3,6)$ and $(4,5)$. That is $\frac{2}{36} = \boxed{\frac{1}{18}}$."),
        ("D", 2),
        ("C", r"""Four ordered outcomes out of 36 work, so the probability is $\frac{4}{36}$.
Final Answer: The final answer is $\frac{4}{36}$. I hope it is correct."""),
        ("W", r"There are 4 favorable outcomes out of 36, so the probability is $\boxed{0.11}$."),
    ],
    6: [
        ("J", r"$2\pi r = 10\pi$ gives $r = 5$, so the area is $\pi r^2 = \boxed{25\pi}$."),
        ("D", 0),
        ("C", r"The radius is 5, and the area is $\pi \cdot 5^2 = 25\pi$. The answer is $25\pi$."),
        ("W", r"Circumference $10\pi$ means diameter 10, so the area is $\pi \cdot 10^2 = \boxed{100\pi}$."),
        ("C", r"$r = \frac{10\pi}{2\pi} = 5$. Area $= \boxed{25 \pi}$ square units."),
        ("Ct", r"With $r=5$ the area is $\pi r^2 = \boxed{25\pi"),
    ],
    7: [
        ("W", r"We need $x \ge 0$ and $3 - x \ge 0$, so the domain is $\boxed{[0, 3]}$."),
        ("C", r"The numerator needs $x \ge 0$. The denominator needs $3 - x > 0$, i.e. $x < 3$, since it cannot be zero. The domain is $\boxed{[0, 3)}$."),
        ("D", 0),
        ("W", r"Both square roots need positive arguments because of the fraction, so $0 < x < 3$: $\boxed{(0, 3)}$."),
        ("C", r"$x \geq 0$ and $x < 3$. The answer is $[0,3)$."),
        ("Nt", r"The expression under each root has to be nonnegative, and the bottom of the fraction cannot vanish. Combining these conditions on $x$ gives"),
    ],
    8: [
        ("J", r"By AM-GM, $x^2 + \frac{16}{x^2} \ge 2\sqrt{16} = 8$, with equality at $x^2 = 4$. The minimum is $\boxed{8}$."),
        ("W", r"Setting $x = 1$ gives $1 + 16 = 17$, and setting $x = 4$ gives $16 + 1 = 17$, so the minimum is $\boxed{17}$."),
        ("C", r"Let $t = x^2 > 0$. Then $t + \frac{16}{t} = \left(\sqrt{t} - \frac{4}{\sqrt{t}}\right)^2 + 8 \ge 8$. $\boxed{8}$"),
        ("F", r"By AM-GM, $x^2 + \frac{16}{x^2} \ge 2 \cdot \frac{16}{4} = 8$, so the minimum is $\boxed{8}$."),
        ("D", 0),
        ("W", r"AM-GM gives $x^2 + \frac{16}{x^2} \ge 2\sqrt{16} = 4$, so $\boxed{4}$."),
    ],
    9: [
        ("J", r"$\cos\frac{\pi}{3} = \frac{1}{2}$ and $\frac{\pi}{3}$ lies in $[0, \pi]$, so $\arccos\frac{1}{2} = \boxed{\frac{\pi}{3}}$."),
        ("C", r"Since $\cos 60^\circ = \tfrac12$, the angle is $60^\circ$, which is $\boxed{\pi/3}$ radians."),
        ("W", r"$\cos\frac{\pi}{6} = \frac{1}{2}$, so $\boxed{\frac{\pi}{6}}$."),
        ("D", 0),
        ("W", r"The angle is $60^\circ$, which is about $\boxed{1.047}$ radians."),
        ("C", r"""$\arccos(1/2) = \pi/3$.
Final Answer: The final answer is $\frac{\pi}{3}$. I hope it is correct."""),
    ],
    10: [
        ("W", r"The hypotenuse is 13. The altitude is the geometric mean $\sqrt{5 \cdot 12} = \boxed{2\sqrt{15}}$."),
        ("W", r"The area is $\frac{1}{2} \cdot 5 \cdot 12 = 30$. The altitude is $\frac{30}{13}$, so $\boxed{\frac{30}{13}}$."),
        ("C", r"The area is $30$ and the hypotenuse is $13$. Since $\frac12 \cdot 13 \cdot h = 30$, $h = \boxed{\frac{60}{13}}$."),
        ("D", 1),
        ("Nt", r"The altitude to the hypotenuse splits the triangle into two smaller triangles similar to the original. Using the area in two ways should give the altitude, once I find the hypotenuse with the Pythagorean theorem"),
        ("W", r"$h = \frac{5 \cdot 12}{5 + 12} = \boxed{\frac{60}{17}}$."),
    ],
    11: [
        ("J", r"$84 = 2^2 \cdot 3 \cdot 7$ and $126 = 2 \cdot 3^2 \cdot 7$, so the gcd is $2 \cdot 3 \cdot 7 = \boxed{42}$."),
        ("C", r"Euclid: $126 = 84 + 42$, and $84 = 2 \cdot 42$, so $\gcd = \boxed{42}$."),
        ("D", 0),
        ("D", 1),
        ("W", r"Both are divisible by 14, so the gcd is $\boxed{14}$."),
        ("C", r"""Common prime factors $2, 3, 7$ give $42$.
Final Answer: **42**"""),
    ],
    12: [
        ("W", r"Choose 3 of the 8 members: $\binom{8}{3} = \boxed{56}$."),
        ("C", r"There are 8 choices for president and $\binom{7}{2} = 21$ committees from the rest, so $8 \cdot 21 = \boxed{168}$."),
        ("W", r"8 choices for president, then $7 \cdot 6 = 42$ ordered choices for the committee: $\boxed{336}$."),
        ("D", 0),
        ("F", r"Pick the president in 8 ways and the committee in $7 \cdot 6 = 42$ ways. Dividing by 2 because the president could also be on the committee gives $\frac{8 \cdot 42}{2} = \boxed{168}$."),
        ("W", r"$\binom{8}{1}\binom{8}{2} = 8 \cdot 28 = \boxed{224}$."),
    ],
    13: [
        ("J", r"Let the width be $w$, so the length is $1.4w$. The perimeter gives $2(w + 1.4w) = 96$, so $4.8w = 96$ and $w = 20$. The length is 28, and the area is $20 \cdot 28 = \boxed{560}$ square centimeters."),
        ("W", r"$2.4w = 96$ gives $w = 40$, length $56$, area $\boxed{2240}$."),
        ("C", r"Half the perimeter is $48 = w + 1.4w = 2.4w$, so $w = 20$ and $l = 28$. Area: $560 \text{ cm}^2$. The answer is $560$."),
        ("D", 2),
        ("C", r"$w = 20$ cm and $l = 28$ cm, so the area is $\boxed{560\text{ cm}^2}$."),
        ("W", r"The length is 40% of the width, $l = 0.4w$, so $2.8w = 96$ and $w \approx 34.3$. The area is about $\boxed{470}$."),
    ],
    14: [
        ("J", r"$\sqrt{50} = 5\sqrt{2}$ and $\sqrt{18} = 3\sqrt{2}$, so the sum is $\boxed{8\sqrt{2}}$."),
        ("W", r"$\sqrt{50} + \sqrt{18} = \sqrt{68} = \boxed{2\sqrt{17}}$."),
        ("C", r"$\sqrt{50}+\sqrt{18} = 5\sqrt2 + 3\sqrt2 = 8\sqrt2 = \boxed{\sqrt{128}}$."),
        ("W", r"$5\sqrt{2} + 3\sqrt{2} = 8\sqrt{2} \approx \boxed{11.31}$."),
        ("D", 0),
        ("Nt", r"Both radicands share a factor of two, so each root can be written as a multiple of the square root of two, after pulling out the largest perfect square from each"),
    ],
    15: [
        ("J", r"Let $\angle B = x$. Then $\angle A = 2x$ and $\angle C = x + 20^\circ$. So $4x + 20^\circ = 180^\circ$, $x = 40^\circ$, and $\angle A = \boxed{80^\circ}$."),
        ("C", r"$2x + x + (x + 20) = 180$ gives $x = 40$, so $\angle A = \boxed{80}$."),
        ("W", r"$2x + x + x + 20 = 180$, so $x = 40$, and the angle is $\boxed{40^\circ}$."),
        ("D", 0),
        ("C", r"With $B = 40^\circ$, $A = 2B = 80^{\circ}$. The answer is $80^{\circ}$."),
        ("W", r"$A + B + C = 180$ with $A = 2B$ and $C = B + 20$: $4B = 200$, $B = 50$, $A = \boxed{100^\circ}$."),
    ],
    16: [
        ("C", r"By the remainder theorem the remainder is $f(2) = 2 \cdot 8 - 3 \cdot 2 + 1 = 16 - 6 + 1 = \boxed{11}$."),
        ("C", r"$f(2) = 16 - 6 + 1 = 11$. The answer is $11$."),
        ("W", r"The remainder is $f(-2) = -16 + 6 + 1 = \boxed{-9}$."),
        ("D", 0),
        ("C", r"Synthetic division by $x - 2$ on $2, 0, -3, 1$: bring down 2, then 4, then 5, then 11. Remainder $\boxed{11}$."),
        ("Nt", r"Divide using synthetic division with the root of the divisor. Writing out the coefficients of the cubic, including a zero for the missing square term, we bring down the leading coefficient and"),
    ],
    17: [
        ("J", r"Squaring gives $\begin{pmatrix} 1 & 4 \\ 0 & 1 \end{pmatrix}$, and one more factor gives $\boxed{\begin{pmatrix} 1 & 6 \\ 0 & 1 \end{pmatrix}}$."),
        ("W", r"Cube each entry: $\boxed{\begin{pmatrix} 1 & 8 \\ 0 & 1 \end{pmatrix}}$."),
        ("C", r"$\begin{pmatrix} 1 & a \\ 0 & 1 \end{pmatrix}^n = \begin{pmatrix} 1 & na \\ 0 & 1 \end{pmatrix}$, so the cube is $\boxed{\begin{bmatrix} 1 & 6 \\ 0 & 1 \end{bmatrix}}$."),
        ("W", r"The result is $\boxed{\begin{pmatrix} 1 & 0 \\ 6 & 1 \end{pmatrix}}$."),
        ("D", 0),
        ("W", r"$A^2 = \begin{pmatrix} 1 & 4 \\ 0 & 1 \end{pmatrix}$ and $A^3 = \begin{pmatrix} 1 & 5 \\ 0 & 1 \end{pmatrix}$, so $\boxed{\begin{pmatrix} 1 & 5 \\ 0 & 1 \end{pmatrix}}$."),
    ],
    18: [
        ("C", r"Same color: $\binom{4}{2} + \binom{6}{2} = 6 + 15 = 21$ pairs out of $\binom{10}{2} = 45$. Probability $\frac{21}{45} = \boxed{\frac{7}{15}}$."),
        ("W", r"With replacement: $(0.4)^2 + (0.6)^2 = 0.52 = \boxed{\frac{13}{25}}$."),
        ("W", r"$\frac{4}{10}\cdot\frac{3}{9} + \frac{6}{10}\cdot\frac{5}{9} = \frac{12 + 30}{90} = \frac{42}{90} \approx \boxed{0.4667}$."),
        ("C", r"""$P = \frac{4 \cdot 3 + 6 \cdot 5}{10 \cdot 9} = \frac{42}{90}$.
Final Answer: The final answer is $\frac{21}{45}$. I hope it is correct."""),
        ("D", 1),
        ("Nt", r"There are two ways to match colors, both red or both blue. I will count each case as a product of draws and then divide by the number of ordered pairs of draws overall, which is"),
    ],
    19: [
        ("C", r"$36 = 2^2 \cdot 3^2$, so $\sigma(36) = (1 + 2 + 4)(1 + 3 + 9) = 7 \cdot 13 = \boxed{91}$."),
        ("W", r"Divisors: 1, 2, 3, 4, 6, 9, 12, 18, 36 sum to $\boxed{90}$."),
        ("C", r"The divisors are 1, 2, 3, 4, 6, 9, 12, 18, 36. Their sum is 91. The answer is 91."),
        ("D", 1),
        ("Ct", r"$(1+2+4)(1+3+9) = 91$, so the sum is \boxed{91"),
        ("W", r"Excluding 36 itself, the divisors sum to $\boxed{55}$."),
    ],
    20: [
        ("C", r"Setting $x^2 + 3 = kx + 2$ gives $x^2 - kx + 1 = 0$. One intersection means discriminant $k^2 - 4 = 0$, and $k > 0$ gives $\boxed{2}$."),
        ("W", r"$x^2 - kx + 5 = 0$ has discriminant $k^2 - 20 = 0$, so $k = \boxed{2\sqrt{5}}$."),
        ("D", 0),
        ("W", r"The discriminant $k^2 - 4$ must be positive, so $k > 2$; the smallest integer is $\boxed{3}$."),
        ("Nt", r"Set the two expressions for $y$ equal and collect everything on one side. Tangency means a double root of that quadratic in $x$, so its discriminant must vanish, which gives a condition on the slope"),
        ("W", r"Tangency needs $k^2 - 4 \cdot 1 \cdot 3 = 0$, so $k = \boxed{2\sqrt{3}}$."),
    ],
    21: [
        ("W", r"The expression is nonnegative when both factors have the same sign: $\boxed{(-\infty, -2] \cup [1, \infty)}$."),
        ("C", r"Critical points $-2$ and $1$. Testing intervals: positive on $(-\infty,-2)$, negative on $(-2,1)$, positive on $(1,\infty)$. Zero at $x = 1$, undefined at $x = -2$. So $x \in \boxed{(-\infty,-2) \cup [1,\infty)}$."),
        ("W", r"Need $x - 1 \ge 0$, so $\boxed{[1, \infty)}$."),
        ("D", 0),
        ("W", r"The sign chart gives $\boxed{(-2, 1]}$."),
        ("Nt", r"Make a sign chart with the zero of the numerator and the zero of the denominator as the break points, remembering that the denominator can never be zero while the numerator can"),
    ],
    22: [
        ("C", r"$48 \cdot 25 = 1200$, so there are $\boxed{1,200}$ pencils."),
        ("J", r"$48 \cdot 25 = 48 \cdot 100 / 4 = 1200$. $\boxed{1200}$"),
        ("W", r"$48 \cdot 25 = 1000 + 100 = \boxed{1100}$."),
        ("C", r"Each box has 25 pencils: $25 \cdot 48 = 1{,}200$. The answer is $1{,}200$."),
        ("D", 1),
        ("W", r"$48 + 25 = \boxed{73}$."),
    ],
    23: [
        ("C", r"The height is $\sqrt{5^2 - 3^2} = 4$, so $V = \frac{1}{3}\pi \cdot 9 \cdot 4 = \boxed{12\pi}$."),
        ("W", r"$V = \frac13 \pi r^2 \ell = \frac13 \pi \cdot 9 \cdot 5 = \boxed{15\pi}$."),
        ("W", r"The height is 4, so $V = \pi r^2 h = 36\pi$. $\boxed{36\pi}$"),
        ("D", 1),
        ("C", r"""$h = 4$ from the 3-4-5 right triangle, and $V = \frac{1}{3}\pi r^2 h = 12\pi$.
Final Answer: **12\pi**"""),
        ("Nt", r"The slant height, the radius and the height form a right triangle, so the height follows from the Pythagorean theorem. Then the volume is one third of the base area times"),
    ],
    24: [
        ("W", r"$\sin\theta = \sqrt{1 - \frac{1}{9}} = \frac{2\sqrt{2}}{3}$, but in the second quadrant sine is negative, so $\boxed{-\frac{2\sqrt{2}}{3}}$."),
        ("W", r"$\sin\theta = 1 - \cos\theta = 1 + \frac{1}{3} = \boxed{\frac{4}{3}}$."),
        ("D", 0),
        ("W", r"$\sin^2\theta = 1 - \frac{1}{3} = \frac{2}{3}$, so $\sin\theta = \boxed{\frac{\sqrt{6}}{3}}$."),
        ("Nt", r"Use the Pythagorean identity to get the square of the sine, and then choose the sign of the sine from the quadrant of the angle, since the cosine is negative there"),
        ("Wt", r"$\sin\theta = \sqrt{1 - \frac{1}{9}} = \frac{\sqrt{8}}{9}$, so \boxed{\frac{\sqrt{8}}{9}"),
    ],
}

MATH_SE = {
    1: [("J", r"Substitute $x = -2y$ into $3x - y = 7$ to get $-7y = 7$, so $y = -1$ and $x = 2$. $\boxed{(2,-1)}$"),
        ("C", r"Doubling the second equation and adding the first gives $7x = 14$. Thus $x = 2$, $y = -1$, and the answer is $\boxed{(2, -1)}$.")],
    2: [("J", r"We need $x^2 - 5x + 4 = 0$, i.e. $(x-1)(x-4) = 0$. So $x = 1$ or $x = 4$: $\boxed{1, 4}$."),
        ("W", r"The roots have sum $5$ and product $4$; taking the larger root, $\boxed{4}$.")],
    3: [("C", r"$\frac{2}{3}$ of $\frac{9}{8}$ means $\frac{2}{3}\cdot\frac{9}{8} = \frac{18}{24} = \boxed{\frac34}$."),
        ("C", r"""After cancelling, $\frac{2 \cdot 9}{3 \cdot 8} = \frac{3}{4}$.
Final Answer: The final answer is $\frac{3}{4}$. I hope it is correct.""")],
    4: [("J", r"By Fermat, $7^4 \equiv 1 \pmod 5$, so $7^{20} = (7^4)^5 \equiv 1$. $\boxed{1}$"),
        ("W", r"$7 \equiv 2 \pmod 5$. The powers of 2 cycle as 2, 4, 3, 1, and $20 \equiv 0 \pmod 4$ means we take the first term, $\boxed{2}$.")],
    5: [("W", r"Sums of 9 come from $(3,6)$, $(4,5)$, $(5,4)$ and $(6,3)$, so the probability is $\frac{4}{36} = \boxed{\frac{1}{8}}$."),
        ("W", r"Unordered pairs summing to 9 are $\{3,6\}$ and $\{4,5\}$, out of 21 unordered pairs, so $\boxed{\frac{2}{21}}$.")],
    6: [("C", r"From $C = 2\pi r$ we get $r = 5$, and $A = \pi r^2 = \boxed{25\pi}$."),
        ("J", r"""$r = 5$, hence $A = 25\pi$.
Final Answer: The final answer is $25\pi$. I hope it is correct.""")],
    7: [("J", r"Need $x \ge 0$ for $\sqrt{x}$ and $3 - x > 0$ for the denominator. Domain: $\boxed{[0,3)}$."),
        ("W", r"Need $x \ge 0$ and $3 - x \ge 0$, giving $\boxed{[0,3]}$.")],
    8: [("J", r"With $t = x^2$, $t + 16/t$ has derivative $1 - 16/t^2$, zero at $t = 4$, giving $4 + 4 = \boxed{8}$."),
        ("W", r"Differentiate: $2x - \frac{32}{x^3} = 0$ gives $x^4 = 16$, $x = 2$, and the value is $2^2 + \frac{16}{2} = \boxed{12}$.")],
    9: [("C", r"The angle in $[0,\pi]$ whose cosine is $\frac12$ is $\boxed{\frac{\pi}{3}}$."),
        ("C", r"$\cos(\pi/3) = 1/2$, hence $\arccos(1/2) = \boxed{\dfrac{\pi}{3}}$.")],
    10: [("W", r"""Area $= 30$, hypotenuse $= 13$, so the altitude is $\frac{30}{13}$.
Final Answer: The final answer is $\frac{30}{13}$. I hope it is correct."""),
         ("Nt", r"The hypotenuse is $\sqrt{25 + 144} = 13$. Two expressions for the area of the triangle, one with the legs and one with the hypotenuse and the altitude, must agree, so")],
    11: [("C", r"$126 - 84 = 42$ and $42$ divides $84$, so the greatest common divisor is $\boxed{42}$."),
         ("C", r"$\gcd(84, 126) = \gcd(84, 42) = \boxed{42}$.")],
    12: [("J", r"Pick the president (8 ways), then an unordered pair from the other 7: $\binom72 = 21$. Total $\boxed{168}$."),
         ("W", r"Choose the three people, $\binom{8}{3} = 56$ ways; the roles do not matter, so $\boxed{56}$.")],
    13: [("C", r"$w + 1.4w = 48$, so $w = 20$, $\ell = 28$, and the area is $\boxed{560}$."),
         ("C", r"Width 20, length 28. Area $= \boxed{560}$ cm$^2$.")],
    14: [("J", r"Pull out squares: $\sqrt{25 \cdot 2} + \sqrt{9 \cdot 2} = 5\sqrt{2} + 3\sqrt{2} = \boxed{8\sqrt{2}}$."),
         ("W", r"$\sqrt{50} + \sqrt{18} = 5\sqrt{2} + 2\sqrt{3}$, which does not combine: $\boxed{5\sqrt{2} + 2\sqrt{3}}$.")],
    15: [("F", r"$2B + B + B + 20^\circ = 180^\circ$, so $4B = 180^\circ - 20^\circ = 140^\circ$ and $B = 40^\circ$, hence $\angle A = \boxed{80^\circ}$."),
         ("C", r"""Angles sum to $180^\circ$: $4B + 20^\circ = 180^\circ$, $B = 40^\circ$, and $A = 2B$.
Final Answer: The final answer is $80^\circ$. I hope it is correct.""")],
    16: [("C", r"Remainder theorem: $f(2) = 2(8) - 3(2) + 1 = \boxed{11}$."),
         ("C", r'Plugging in $x = 2$ ("the remainder theorem"): $f(2) = 16 - 6 + 1$, so the remainder is $\boxed{11}$.')],
    17: [("C", r"Each multiplication by $A$ adds 2 to the top-right entry, so $A^3 = \boxed{\begin{pmatrix} 1 & 6 \\ 0 & 1 \end{pmatrix}}$."),
         ("W", r"$A^3 = \begin{pmatrix} 1 & 2^3 \\ 0 & 1 \end{pmatrix} = \boxed{\begin{pmatrix} 1 & 8 \\ 0 & 1 \end{pmatrix}}$.")],
    18: [("J", r"$P(\text{both red}) = \frac{4}{10}\cdot\frac{3}{9} = \frac{2}{15}$ and $P(\text{both blue}) = \frac{6}{10}\cdot\frac{5}{9} = \frac{1}{3}$. Sum: $\boxed{\frac{7}{15}}$."),
         ("W", r"$\frac{\binom42 + \binom62}{\binom{10}{2}} = \frac{6 + 15}{45} = \boxed{\frac{1}{3}}$.")],
    19: [("C", r"Using $\sigma(p^a q^b) = \frac{p^{a+1}-1}{p-1}\cdot\frac{q^{b+1}-1}{q-1}$ with $36 = 2^2 3^2$: $7 \cdot 13 = \boxed{91}$."),
         ("W", r"The divisors of 36 are 1, 2, 3, 4, 6, 9, 12, 18, 36, and their sum is $2 \cdot 3 \cdot 13 = \boxed{78}$.")],
    20: [("C", r"$x^2 - kx + 1 = 0$ needs a double root: $k^2 = 4$, $k = \boxed{2}$ since $k>0$."),
         ("W", r"Equating, $x^2 - kx + 5 = 0$, so $k^2 = 20$ and $k = \boxed{2\sqrt{5}}$.")],
    21: [("W", r"Both factors nonnegative or both nonpositive: $x \ge 1$ or $x \le -2$, so $\boxed{(-\infty,-2]\cup[1,\infty)}$."),
         ("W", r"The fraction is nonnegative for $x \ge 1$: $\boxed{[1,\infty)}$.")],
    22: [("C", r"$48 \times 25 = \boxed{1200}$."),
         ("C", r"$25 \cdot 48 = 1,\!200$ pencils, so the total is $\boxed{1,\!200}$.")],
    23: [("C", r"$h = \sqrt{25 - 9} = 4$; $V = \frac{1}{3}\pi(3^2)(4) = \boxed{12\pi}$."),
         ("W", r"$V = \frac{1}{3}\pi r^2 h$ with $h = 5$ gives $\boxed{15\pi}$.")],
    24: [("C", r"$\sin^2\theta = 1 - \frac19 = \frac89$, and sine is positive in the second quadrant, so $\sin\theta = \boxed{\frac{\sqrt{8}}{3}}$."),
         ("W", r"$\sin\theta = -\sqrt{1 - \frac{1}{9}} = \boxed{-\frac{2\sqrt{2}}{3}}$.")],
}

# ---------------------------------------------------------------------------
# Writers.
# ---------------------------------------------------------------------------
SUBJECT_DIR = {
    "Algebra": "algebra", "Prealgebra": "prealgebra", "Number Theory": "number_theory",
    "Counting & Probability": "counting_and_probability", "Geometry": "geometry",
    "Intermediate Algebra": "intermediate_algebra", "Precalculus": "precalculus",
}
VERDICT = {"J": "correct", "C": "correct", "F": "correct", "f": "correct", "W": "wrong", "N": "no-answer"}
GSM_PROMPT = "Solve the problem step by step and end with the final answer.\n\nQuestion: {q}\nAnswer:"
MATH_PROMPT = "Solve the following math problem. Put the final answer in \\boxed{{}}.\n\nProblem: {q}\nSolution:"


def math_uid(num, subject):
    return "demo/%s/%d.json" % (SUBJECT_DIR[subject], num)


def last_boxed(text):
    """Content of the last \\boxed{...} (balanced braces), or None."""
    start = text.rfind("\\boxed{")
    if start < 0:
        return None
    i = start + len("\\boxed{")
    depth = 1
    for j in range(i, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i:j]
    return text[i:]  # unclosed box at the end of a truncated output


def tokens_of(text):
    return max(10, round(len(text) / 4))


def expand(samples):
    """Resolve duplicates; return a list of dicts with text, tag, verdict, truncated, judged."""
    out = []
    for tag, body in samples:
        if tag == "D":
            src = out[body]
            base = {"J": "C", "C": "C", "F": "f", "f": "f", "W": "W", "N": "N"}[src["tag"]]
            out.append({"text": src["text"], "tag": base, "truncated": src["truncated"], "dup_of": body})
            continue
        out.append({"text": body, "tag": tag[0], "truncated": tag.endswith("t"), "dup_of": None})
    for s in out:
        s["verdict"] = VERDICT[s["tag"]]
        s["judged"] = s["tag"] in "JF"
        s["flawed"] = s["tag"] in "Ff"
        s["tokens"] = tokens_of(s["text"])
    return out


def fake_id(prefix, key, n=24):
    return prefix + hashlib.sha256(key.encode()).hexdigest()[:n]


def token_ids(key, n):
    h = hashlib.sha256(key.encode()).digest()
    seed = int.from_bytes(h[:8], "big")
    ids = []
    for _ in range(n):
        seed = (seed * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        ids.append(1 + (seed >> 33) % 32000)
    return ids


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False)


def write(name, data):
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="") as f:
        f.write(data)


def main():
    gsm_ids = [p[0] for p in GSM]
    math_ids = [math_uid(n, s) for n, s, _, _, _ in MATH]
    runs = {
        "gsm8k-demo.demo-9b.jsonl": ("gsm8k-demo", "demo-9b", [(pid, expand(GSM_WC[pid])) for pid in gsm_ids]),
        "gsm8k-demo.demo-27b.openai-batch.jsonl": ("gsm8k-demo", "demo-27b", [(pid, expand(GSM_SE[pid])) for pid in gsm_ids]),
        "math-demo.demo-9b.vllm.jsonl": ("math-demo", "demo-9b", [(uid, expand(MATH_WC[n])) for uid, (n, *_r) in zip(math_ids, MATH)]),
        "math-demo.demo-27b.csv": ("math-demo", "demo-27b", [(uid, expand(MATH_SE[n])) for uid, (n, *_r) in zip(math_ids, MATH)]),
    }
    for name, (_ds, model, per) in runs.items():
        want = 6 if model == "demo-9b" else 2
        assert len(per) == 24 and all(len(s) == want for _, s in per), name

    # Problems.
    write("gsm8k-demo.problems.jsonl", "".join(dumps({"id": pid, "question": q, "answer": a}) + "\n" for pid, q, a in GSM))
    lines = []
    for (n, subj, level, prob, sol), uid in zip(MATH, math_ids):
        lines.append(dumps({"unique_id": uid, "problem": prob, "solution": sol, "answer": last_boxed(sol),
                            "subject": subj, "level": level}) + "\n")
    write("math-demo.problems.jsonl", "".join(lines))
    gsm_q = {pid: q for pid, q, _ in GSM}
    math_q = {uid: m[3] for uid, m in zip(math_ids, MATH)}

    # WC on GSM: plain JSONL, one sample per line.
    _, _, per = runs["gsm8k-demo.demo-9b.jsonl"]
    write("gsm8k-demo.demo-9b.jsonl", "".join(
        dumps({"problem_id": pid, "text": s["text"], "tokens": s["tokens"]}) + "\n" for pid, ss in per for s in ss))

    # SE on GSM: OpenAI Batch API output, one line per problem, samples as choices.
    _, _, per = runs["gsm8k-demo.demo-27b.openai-batch.jsonl"]
    lines = []
    for k, (pid, ss) in enumerate(per):
        prompt_tokens = 40 + round(len(gsm_q[pid]) / 4)
        completion = sum(s["tokens"] for s in ss)
        body = {
            "id": fake_id("chatcmpl-", "27b/" + pid, 29), "object": "chat.completion",
            "created": 1764000000 + 7 * k, "model": "demo-27b",
            "choices": [{"index": i, "message": {"role": "assistant", "content": s["text"]},
                         "finish_reason": "length" if s["truncated"] else "stop"} for i, s in enumerate(ss)],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion,
                      "total_tokens": prompt_tokens + completion},
        }
        lines.append(dumps({"id": fake_id("batch_req_", "req/" + pid), "custom_id": pid,
                            "response": {"status_code": 200, "request_id": fake_id("", "rid/" + pid, 32), "body": body},
                            "error": None}) + "\n")
    write("gsm8k-demo.demo-27b.openai-batch.jsonl", "".join(lines))

    # WC on MATH: vLLM-style, one line per problem with 6 outputs.
    _, _, per = runs["math-demo.demo-9b.vllm.jsonl"]
    lines = []
    for uid, ss in per:
        outs = [{"index": i, "text": s["text"], "token_ids": token_ids("%s/%d" % (uid, i), s["tokens"]),
                 "finish_reason": "length" if s["truncated"] else "stop"} for i, s in enumerate(ss)]
        lines.append(dumps({"request_id": uid, "prompt": MATH_PROMPT.format(q=math_q[uid]), "outputs": outs}) + "\n")
    write("math-demo.demo-9b.vllm.jsonl", "".join(lines))

    # SE on MATH: CSV (RFC 4180, CRLF), 2 rows per problem.
    _, _, per = runs["math-demo.demo-27b.csv"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["problem_id", "sample_index", "text", "tokens"])
    for uid, ss in per:
        for i, s in enumerate(ss):
            w.writerow([uid, i, s["text"], s["tokens"]])
    write("math-demo.demo-27b.csv", buf.getvalue())

    # Judgments and expected verdicts.
    judg = {"demo-9b": [], "demo-27b": []}
    expected = {"description": "Intended verdict of every sample (correct: final answer equivalent to the gold; "
                               "wrong: a final answer that is not; no-answer: no final answer stated). "
                               "sample_index is zero-based within the model's samples for that problem, in file order. "
                               "flawed_reasoning lists correct-answer samples whose reasoning is wrong.",
                "files": {}}
    for name, (ds, model, per) in runs.items():
        rows, flawed, dups = [], [], []
        counts = {"correct": 0, "wrong": 0, "no-answer": 0}
        for pid, ss in per:
            for i, s in enumerate(ss):
                rows.append([pid, i, s["verdict"]])
                counts[s["verdict"]] += 1
                if s["flawed"]:
                    flawed.append([pid, i])
                if s["dup_of"] is not None:
                    dups.append([pid, i, s["dup_of"]])
                if s["judged"]:
                    judg[model].append({"problem_id": pid, "sample_index": i, "judge": "demo-judge",
                                        "reasoning_correct": s["tag"] == "J"})
        expected["files"][name] = {"dataset": ds, "model": model, "problems": len(per),
                                   "samples_per_problem": len(per[0][1]), "counts": counts,
                                   "problems_with_a_correct_sample": sum(any(s["verdict"] == "correct" for s in ss) for _, ss in per),
                                   "samples": rows, "flawed_reasoning": flawed,
                                   "duplicates": dups}
    for model, js in judg.items():
        write("judgments.%s.jsonl" % model, "".join(dumps(j) + "\n" for j in js))
        expected["judgments.%s.jsonl" % model] = {
            "judged": len(js), "reasoning_wrong": sum(not j["reasoning_correct"] for j in js)}
    text = json.dumps(expected, indent=1)
    # Keep one sample per line for readability.
    text = re.sub(r"\[\n\s+(\"[^\"\n]*\"),\n\s+(\d+),\n\s+(\"[a-z-]+\"|\d+)\n\s+\]", r"[\1, \2, \3]", text)
    text = re.sub(r"\[\n\s+(\"[^\"\n]*\"),\n\s+(\d+)\n\s+\]", r"[\1, \2]", text)
    write("expected.json", text + "\n")
    write("README.md", readme(expected))
    return runs, expected


def readme(exp):
    f = exp["files"]
    lines = [
        "# coseval demo data set",
        "",
        "Small original data written for coseval's tests and demo (make_demo.py regenerates every file; stdlib only, deterministic). "
        "24 GSM8K-style problems (`gsm8k-demo.problems.jsonl`: id, question, answer ending `#### gold`) and 24 MATH-style problems "
        "(`math-demo.problems.jsonl`: unique_id, problem, solution, answer = last `\\boxed{}`, subject, level). "
        "Samples from a weaker-cheaper model demo-9b (9e9 params, 6 samples/problem) and a stronger-expensive demo-27b "
        "(27e9 params, 2 samples/problem) in four formats: plain JSONL `{problem_id, text, tokens}`; OpenAI Batch output "
        "(custom_id = problem id, samples = `response.body.choices[*].message.content`, usage.completion_tokens = sum); vLLM "
        "`{request_id, prompt, outputs[*].{text, token_ids}}`; CSV `problem_id,sample_index,text,tokens`. "
        "`judgments.<model>.jsonl`: `{problem_id, sample_index, judge, reasoning_correct}` on correct-answer samples. "
        "`expected.json`: the intended verdict of every sample, the flawed-reasoning and duplicate samples.",
        "",
        "Intended story: demo-27b is more accurate per sample, demo-9b at 3x the samples covers more problems and finds more "
        "distinct correct solutions but has more false positives. Outputs include verbatim duplicates, rambles and truncations "
        "with no answer, unclosed `\\boxed{` at the end, `The answer is`, `Final answer:`, `####`, `**bold**`, and "
        "equivalent forms (0.75 for 3/4, 1,200, \\sqrt{128}, bmatrix, degree signs, unordered solution lists).",
        "",
        "| file | samples | correct | wrong | no-answer | problems covered | pass@1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, e in f.items():
        c = e["counts"]
        n = sum(c.values())
        lines.append("| %s | %d | %d | %d | %d | %d/24 | %.3f |" % (name, n, c["correct"], c["wrong"], c["no-answer"],
                                                                   e["problems_with_a_correct_sample"], c["correct"] / n))
    lines.append("")
    for m in ("demo-9b", "demo-27b"):
        j = exp["judgments.%s.jsonl" % m]
        lines.append("- `judgments.%s.jsonl`: %d judged, %d with wrong reasoning (FPR %.1f%%)." % (
            m, j["judged"], j["reasoning_wrong"], 100.0 * j["reasoning_wrong"] / j["judged"]))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
