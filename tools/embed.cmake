# Writes a C file that holds a text file as a NUL-terminated char array, so that its text is part of the
# program: cmake -DOUTPUT=out.c -DNAME=cs_name -DINPUT=file.js -P embed.cmake
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}" "/* Generated from ${INPUT} by tools/embed.cmake; do not edit. */\nconst char ${NAME}[] = {\n${bytes}0x00};\n")
