"""Tests of the coseval Python module against the real libcoseval and coseval command: verdicts, batch grading,
errors, memory, read_report and an offline pip install (environment: COSEVAL_LIBRARY, COSEVAL_BIN,
COSEVAL_DATA, COSEVAL_GRADING, as ctest sets them)."""

import csv
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import coseval  # noqa: E402

SOURCE = os.environ.get("COSEVAL_SOURCE") or os.path.dirname(os.path.dirname(HERE))
BIN = os.environ.get("COSEVAL_BIN")
DATA = os.environ.get("COSEVAL_DATA") or os.path.join(SOURCE, "..", "shared", "data")
GRADING = os.environ.get("COSEVAL_GRADING") or os.path.join(SOURCE, "..", "shared", "grading")


def need_bin(test):
    return unittest.skipUnless(BIN and os.access(BIN, os.X_OK), "COSEVAL_BIN (the coseval command) not set")(test)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def equivalence_rows():
    """(gold, pred, want, why) of equivalence.tsv."""
    rows = []
    with open(os.path.join(GRADING, "equivalence.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if cols[:3] == ["gold", "pred", "want"]:
                continue
            rows.append(tuple(cols))
    return rows


def real_pairs():
    """About 2,100 real (profile, gold, text) triples: ToRA-70B's GSM8K outputs (gsm8k) and the Qwen2.5-Math
    MATH samples (math)."""
    out = []
    for r in read_jsonl(os.path.join(DATA, "tora", "gsm8k_test_tora-70b-v1.0_greedy.jsonl")):
        out.append(("gsm8k", str(r["gt"]), r["code"][0]))
    for r in read_jsonl(os.path.join(DATA, "qwen25_math", "math_cot_100.jsonl")):
        for text in r["code"]:
            out.append(("math", str(r["gt"]), text))
    return out


def run_bin(*args, cwd=None, stdin=None):
    return subprocess.run([BIN, *args], cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300)


class VersionTest(unittest.TestCase):
    def test_doctest(self):
        import doctest
        self.assertEqual(doctest.testmod(coseval).failed, 0)

    def test_versions(self):
        self.assertRegex(coseval.version(), r"^\d+\.\d+\.\d+$")
        self.assertRegex(coseval.grader_version(), r"^\d+\.\d+$")
        self.assertTrue(os.path.exists(coseval.library_path()), coseval.library_path())

    @need_bin
    def test_same_grader_version_as_command(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = run_bin("grade", "--stream", "--profile", "math", stdin='{"gold": "1", "text": "1"}\n', cwd=tmp)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(json.loads(p.stdout)["grader_version"], coseval.grader_version())


class CheckTest(unittest.TestCase):
    def test_known_cases(self):
        self.assertTrue(coseval.check("\\frac{1}{2}", "0.5").equal)
        self.assertTrue(coseval.check("1000", "1,000"))
        self.assertFalse(coseval.check("(1,2)", "(2,1)"))
        self.assertFalse(coseval.check("\\pi", "3.14159"))
        r = coseval.check("[2,5)", "(2,5]")
        self.assertIs(r.equal, False)
        self.assertIsInstance(r.reason, str)
        self.assertTrue(r.reason)
        equal, reason = coseval.check("3", "3.0", profile="gsm8k")
        self.assertTrue(equal)

    def test_equivalence_file_policy(self):
        rows = equivalence_rows()
        self.assertGreater(len(rows), 50)
        agree = sum(coseval.check(g, p).equal == (want == "equal") for g, p, want, _ in rows)
        self.assertGreaterEqual(agree / len(rows), 0.9, "verdicts of equivalence.tsv")

    @need_bin
    def test_equivalence_file_same_as_command(self):
        rows = equivalence_rows()
        sample = random.Random(7).sample(rows, min(40, len(rows)))
        for gold, pred, _, why in sample:
            p = run_bin("check", "--profile", "math", "--", gold, pred)
            self.assertIn(p.returncode, (0, 1), p.stderr)
            lines = p.stdout.splitlines()
            word, _, reason = lines[0].partition(": ")
            r = coseval.check(gold, pred)
            with self.subTest(gold=gold, pred=pred, why=why):
                self.assertEqual(r.equal, word == "equal")
                self.assertEqual(r.equal, p.returncode == 0)
                self.assertEqual(r.reason, reason)
                self.assertEqual("gold: " + coseval.canonical(gold), lines[1])
                self.assertEqual("pred: " + coseval.canonical(pred), lines[2])

    def test_result_type(self):
        r = coseval.check("2", "2")
        self.assertIsInstance(r, coseval.CheckResult)
        self.assertEqual(r, (True, r.reason))
        with self.assertRaises(AttributeError):
            r.equal = False

    def test_canonical(self):
        self.assertEqual(coseval.canonical("\\dfrac{3}{4}"), coseval.canonical("\\frac{3}{4}"))
        self.assertIsInstance(coseval.canonical("40,\\!000"), str)
        self.assertEqual(coseval.canonical("x", profile="generic"), coseval.canonical("x", "generic"))


class ExtractTest(unittest.TestCase):
    def test_extraction_file(self):
        cases = read_jsonl(os.path.join(GRADING, "extraction.jsonl"))
        agree = 0
        for c in cases:
            profile = c.get("profile", "math")
            answer, rule = coseval.extract(c["text"], profile=profile)
            want = c.get("answer")
            if answer is None or want is None:
                agree += answer == want
            else:
                agree += coseval.canonical(answer, profile) == coseval.canonical(want, profile)
            self.assertIsInstance(rule, str)
        self.assertGreaterEqual(agree / len(cases), 0.9)

    @need_bin
    def test_same_as_command(self):
        cases = read_jsonl(os.path.join(GRADING, "extraction.jsonl"))
        for c in cases:
            profile = c.get("profile", "math")
            p = run_bin("extract", "-", "--profile", profile, stdin=c["text"])
            got = coseval.extract(c["text"], profile=profile)
            with self.subTest(text=c["text"][:60]):
                if p.returncode == 1:
                    self.assertIsNone(got.answer)
                else:
                    self.assertEqual(p.returncode, 0, p.stderr)
                    answer, _, rule = p.stdout.rstrip("\n").rpartition("\trule ")
                    self.assertEqual((got.answer, got.rule), (answer, rule))

    def test_no_answer_and_stopped(self):
        self.assertEqual(coseval.extract("no answer here"), (None, "none"))
        text = "First we add 3 and 4 to get 7, then we multiply by"
        self.assertIsNone(coseval.extract(text, profile="gsm8k", stopped=True).answer)
        self.assertEqual(coseval.extract("so it is $\\boxed{7}$", stopped=True).answer, "7")

    def test_answer_pattern(self):
        with coseval.Grader("gsm8k", answer_pattern=r"RESULT=(?<answer>\d+)") as g:
            self.assertEqual(g.extract("we get RESULT=12 and later 13"), ("12", g.extract("RESULT=1").rule))
            self.assertEqual(g.grade("12", "RESULT=12 then 99").verdict, "correct")
            self.assertEqual(g.profile, "gsm8k")

    def test_text_with_nul(self):
        t = "a\0b so the answer is $\\boxed{5}$"
        self.assertEqual(coseval.extract(t).answer, "5")
        self.assertEqual(coseval.grade_many([("5", t), ("5", "\\boxed{5}")]),
                         [coseval.grade("5", t), coseval.grade("5", "\\boxed{5}")])


class GradeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pairs = real_pairs()

    def test_real_pairs_count(self):
        self.assertGreaterEqual(len(self.pairs), 2000)

    def test_grade_fields(self):
        v = coseval.grade("18", "She makes 9 * 2 = $18 a day. The answer is $\\boxed{18}$.", profile="gsm8k")
        self.assertIsInstance(v, coseval.Verdict)
        self.assertEqual((v.answer, v.verdict, v.rule), ("18", "correct", "boxed"))
        self.assertTrue(v.correct)
        w = coseval.grade("18", "I do not know", profile="gsm8k")
        self.assertEqual((w.answer, w.canonical, w.verdict), (None, None, "no-answer"))

    def test_grade_many_equals_grade(self):
        rnd = random.Random(3)
        for profile in ("gsm8k", "math"):
            pairs = [(g, t) for p, g, t in self.pairs if p == profile]
            one = [coseval.grade(g, t, profile=profile) for g, t in pairs]
            for threads in (0, 1, 3):
                with self.subTest(profile=profile, threads=threads):
                    self.assertEqual(coseval.grade_many(pairs, profile=profile, threads=threads), one)
            stopped = [(g, t, rnd.random() < 0.3) for g, t in pairs]
            self.assertEqual(coseval.grade_many(iter(stopped), profile=profile),
                             [coseval.grade(g, t, profile, s) for g, t, s in stopped])
        verdicts = {v.verdict for v in one}
        self.assertTrue({"correct", "wrong"} <= verdicts, verdicts)

    def test_grade_many_in_chunks(self):
        pairs = [(g, t, i % 5 == 0) for i, (p, g, t) in enumerate(self.pairs) if p == "math"]
        pairs[450] = (pairs[450][0], "x\0y " + pairs[450][1], False)
        one = [coseval.grade(g, t, "math", s) for g, t, s in pairs]
        saved = coseval._CHUNK
        coseval._CHUNK = 97
        try:
            for threads in (1, 2):
                self.assertEqual(coseval.grade_many(pairs, profile="math", threads=threads), one)
            self.assertEqual(coseval.grade_many(iter(pairs[:194]), profile="math"), one[:194])
            bad = list(pairs)
            bad[700] = ("1", "\udc80")
            with self.assertRaises(coseval.InputError) as cm:
                coseval.grade_many(bad, profile="math")
            self.assertTrue(str(cm.exception).startswith("pair 700: "), str(cm.exception))
            bad[300] = ("1", 5)
            with self.assertRaisesRegex(TypeError, "^pair 300: text must be str, not int$"):
                coseval.grade_many(bad, profile="math")
        finally:
            coseval._CHUNK = saved

    def test_grade_many_unicode_newlines_and_mixed_pairs(self):
        texts = ["So \\boxed{\\text{caf\u00e9}\n\\alpha_1}", "x\0y \\boxed{\u221a5}", "no answer here",
                 "The answer is:\n\\[\n\\begin{cases} 3 \\\\\n x \\end{cases}\n\\]", "\\boxed{}", "\U0001f600 42"]
        golds = ["\u03b1_1", "\u221a5", "1", "3", "", "42"]
        one = [coseval.grade(g, t, "math", i % 2 == 1) for i, (g, t) in enumerate(zip(golds, texts))]
        self.assertTrue(any(v.answer and "\n" in v.answer for v in one), one)
        self.assertTrue(any(v.answer is None for v in one), one)
        for pairs in ([(g, t, i % 2 == 1) for i, (g, t) in enumerate(zip(golds, texts))],
                      [(g, t, True) if i % 2 else (g, t) for i, (g, t) in enumerate(zip(golds, texts))],
                      [[g, t, i % 2 == 1] for i, (g, t) in enumerate(zip(golds, texts))]):
            for threads in (1, 2):
                self.assertEqual(coseval.grade_many(pairs * 50, "math", threads), one * 50)
        with self.assertRaisesRegex(coseval.InputError, "^pair 1: gold contains a NUL"):
            coseval.grade_many([("1", "1"), ("1\0", "2"), ("1", 3)])

    def test_real_pairs_agree_with_dataset_labels(self):
        rows = read_jsonl(os.path.join(DATA, "qwen25_math", "math_cot_100.jsonl"))
        pairs = [(str(r["gt"]), t) for r in rows for t in r["code"]]
        labels = [s for r in rows for s in r["score"]]
        got = coseval.grade_many(pairs, profile="math")
        agree = sum(v.correct == bool(s) for v, s in zip(got, labels))
        self.assertGreaterEqual(agree / len(labels), 0.9)

    @need_bin
    def test_same_as_grade_stream(self):
        sample = random.Random(5).sample([p for p in self.pairs if p[0] == "math"], 300)
        lines = "".join(json.dumps({"gold": g, "text": t}) + "\n" for _, g, t in sample)
        with tempfile.TemporaryDirectory() as tmp:
            p = run_bin("grade", "--stream", "--profile", "math", "--threads", "2", stdin=lines, cwd=tmp)
        self.assertEqual(p.returncode, 0, p.stderr)
        cli = [json.loads(line) for line in p.stdout.splitlines()]
        ours = coseval.grade_many([(g, t) for _, g, t in sample], profile="math", threads=2)
        self.assertEqual(len(cli), len(ours))
        for c, v in zip(cli, ours):
            self.assertEqual((c["answer"], c["canonical"], c["verdict"], c["rule"], c["reason"]), tuple(v))

    def test_grader_reuse_and_close(self):
        g = coseval.Grader("math")
        pairs = [(g_, t) for p, g_, t in self.pairs[-50:]]
        self.assertEqual(g.grade_many(pairs), coseval.grade_many(pairs))
        self.assertEqual(g.grade(*pairs[0]), coseval.grade(*pairs[0]))
        self.assertEqual(g.check("1/2", "0.5"), coseval.check("1/2", "0.5"))
        g.close()
        g.close()
        self.assertTrue(g.closed)
        with self.assertRaises(coseval.UsageError):
            g.grade("1", "1")
        self.assertEqual(coseval.grade_many([]), [])


class ErrorTest(unittest.TestCase):
    def assertRaisesStatus(self, cls, status, text, fn, *args, **kw):
        with self.assertRaises(cls) as cm:
            fn(*args, **kw)
        self.assertIsInstance(cm.exception, coseval.CosevalError)
        self.assertEqual(cm.exception.status, status)
        self.assertIn(text, str(cm.exception))
        self.assertEqual(cm.exception.message, str(cm.exception))
        return cm.exception

    def test_unknown_profile(self):
        e = self.assertRaisesStatus(coseval.UsageError, 2, "unknown profile 'latex' (one of math, gsm8k, generic)",
                                    coseval.check, "1", "1", profile="latex")
        self.assertIsInstance(e, ValueError)
        self.assertRaisesStatus(coseval.UsageError, 2, "unknown profile", coseval.Grader, "latex")
        self.assertRaisesStatus(coseval.UsageError, 2, "unknown profile", coseval.canonical, "1", "latex")
        self.assertRaisesStatus(coseval.UsageError, 2, "unknown profile", coseval.grade, "1", "1", "latex")

    def test_bad_pattern(self):
        self.assertRaisesStatus(coseval.UsageError, 2, "missing closing parenthesis", coseval.Grader, "math",
                                "(?<answer>x")

    def test_bad_threads(self):
        self.assertRaisesStatus(coseval.UsageError, 2, "threads must be 0", coseval.grade_many, [("1", "1")],
                                threads=65)
        self.assertRaisesStatus(coseval.UsageError, 2, "threads must be 0", coseval.grade_many, [("1", "1")],
                                threads=2 ** 40)
        with self.assertRaises(TypeError):
            coseval.grade_many([("1", "1")], threads="2")

    def test_lone_surrogate(self):
        self.assertRaisesStatus(coseval.InputError, 3, "not valid UTF-8", coseval.grade, "1", "x \udc80 y")
        self.assertRaisesStatus(coseval.InputError, 3, "not valid UTF-8", coseval.extract, "\ud800")
        self.assertRaisesStatus(coseval.InputError, 3, "not valid UTF-8", coseval.check, "1", "\ud800")
        self.assertRaisesStatus(coseval.InputError, 3, "pair 2: the text is not valid UTF-8", coseval.grade_many,
                                [("1", "1"), ("1", "2"), ("1", "\udfff")])

    def test_nul_in_answer(self):
        self.assertRaisesStatus(coseval.InputError, 3, "NUL", coseval.check, "1\0", "1")
        self.assertRaisesStatus(coseval.InputError, 3, "NUL", coseval.canonical, "1\0")
        self.assertRaisesStatus(coseval.InputError, 3, "pair 1: gold contains a NUL", coseval.grade_many,
                                [("1", "1"), ("1\0", "2")])

    def test_type_errors(self):
        for fn, args in [(coseval.check, (1, "1")), (coseval.check, ("1", b"1")), (coseval.extract, (None,)),
                         (coseval.canonical, (1.5,)), (coseval.grade, ("1", 1)), (coseval.grade, (18, "18")),
                         (coseval.check, ("1", "1", 3)), (coseval.grade_many, ([("1", 2)],)),
                         (coseval.grade_many, (["ab"],)), (coseval.grade_many, ([("1",)],)),
                         (coseval.grade_many, ([1],)), (coseval.grade_many, (None,))]:
            with self.subTest(fn=fn.__name__, args=args):
                with self.assertRaises(TypeError):
                    fn(*args)

    def test_library_not_found_message(self):
        code = ("import coseval, sys\n"
                "try:\n    coseval.version()\n"
                "except coseval.LibraryNotFoundError as e:\n    print(e)\n    sys.exit(0)\n"
                "sys.exit(1)\n")
        env = dict(os.environ, COSEVAL_LIBRARY="/nonexistent/libcoseval.so.1")
        p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                           cwd=os.path.dirname(HERE))
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("COSEVAL_LIBRARY=/nonexistent/libcoseval.so.1", p.stdout)
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(os.path.join(os.path.dirname(HERE), "coseval"), os.path.join(tmp, "x", "y", "coseval"))
            env = {k: v for k, v in os.environ.items() if k not in ("COSEVAL_LIBRARY", "COSEVAL_BUILD",
                                                                    "LD_LIBRARY_PATH")}
            env["PYTHONPATH"] = os.path.join(tmp, "x", "y")
            p = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp)
        if p.returncode == 0:
            for place in ("COSEVAL_LIBRARY: not set", "installed layout", "build tree", "find_library"):
                self.assertIn(place, p.stdout)


def rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class MemoryTest(unittest.TestCase):
    @unittest.skipUnless(os.path.exists("/proc/self/status"), "needs /proc")
    def test_rss_flat(self):
        text = "We compute 3/4 of 40,000, so the answer is $\\boxed{\\frac{30000}{1}}$."
        pairs = [("30000", text), ("7", "the answer is 8"), ("1", "nothing")] * 300
        g = coseval.Grader("math")

        def work(n):
            for i in range(n):
                coseval.check("\\frac{1}{2}", "0.5")
                coseval.canonical("40,\\!000")
                coseval.extract(text)
                coseval.grade("30000", text)
                try:
                    coseval.check("1", "1", profile="nope")
                except coseval.UsageError:
                    pass
            for i in range(n // 1000):
                g.grade_many(pairs, threads=2)

        work(5000)
        before = rss_kb()
        work(30000)
        grown = rss_kb() - before
        g.close()
        self.assertLess(grown, 2048, "RSS grew by %d kB over 30,000 rounds of calls" % grown)


class ReadReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not (BIN and os.access(BIN, os.X_OK)):
            raise unittest.SkipTest("COSEVAL_BIN (the coseval command) not set")
        cls.tmp = tempfile.mkdtemp(prefix="coseval-py-")
        p = run_bin("demo", cwd=cls.tmp)
        if p.returncode != 0:
            raise RuntimeError("coseval demo failed: " + p.stderr)
        db = os.path.join(cls.tmp, "coseval-demo.db")
        cmds = {
            "r.csv": ["report", "--db", db, "-o", "r.csv"],
            "r.json": ["report", "--db", db, "--format", "json", "-o", "r.json"],
            "p.csv": ["pair", "--db", db, "--wc", "gsm8k-9b", "--se", "gsm8k-27b", "--se-k", "1,2", "-o", "p.csv"],
            "p.json": ["pair", "--db", db, "--wc", "gsm8k-9b", "--se", "gsm8k-27b", "--se-k", "1,2", "--format",
                       "json", "-o", "p.json"],
        }
        for name, args in cmds.items():
            p = run_bin(*args, cwd=cls.tmp)
            if p.returncode != 0:
                raise RuntimeError("coseval %s failed: %s" % (" ".join(args), p.stderr))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def test_csv_json_round_trip(self):
        from_csv = coseval.read_report(self.path("r.csv"), as_frame=False)
        from_json = coseval.read_report(self.path("r.json"), as_frame=False)
        self.assertGreater(len(from_csv), 10)
        self.assertEqual(from_csv, from_json)
        for row in from_csv:
            self.assertIsInstance(row["value"], float)
            self.assertIsInstance(row["problems"], int)
            self.assertIsInstance(row["metric"], str)
        self.assertTrue(any(row["k"] is None for row in from_csv))

    def test_values_exact(self):
        with open(self.path("r.csv"), newline="") as f:
            raw = list(csv.DictReader(f))
        with open(self.path("r.json")) as f:
            doc = json.load(f)
        got = coseval.read_report(self.path("r.csv"), as_frame=False)
        for r, j, g in zip(raw, doc["rows"], got):
            for col in ("value", "lower", "upper"):
                self.assertEqual(g[col], float(r[col]))
                self.assertEqual(g[col], float(j[col]))

    def test_pair_report(self):
        from_csv = coseval.read_report(self.path("p.csv"), as_frame=False)
        from_json = coseval.read_report(self.path("p.json"), as_frame=False)
        self.assertEqual(len(from_csv), len(from_json))
        for c, j in zip(from_csv, from_json):
            shared = set(c) & set(j)
            self.assertIn("gain", shared)
            self.assertEqual({k: c[k] for k in shared}, {k: j[k] for k in shared})

    def test_jsonl_and_array(self):
        rows = coseval.read_report(self.path("r.json"), as_frame=False)
        with open(self.path("rows.jsonl"), "w") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
        self.assertEqual(coseval.read_report(self.path("rows.jsonl"), as_frame=False), rows)
        with open(self.path("rows.json"), "w") as f:
            json.dump(rows, f)
        self.assertEqual(coseval.read_report(self.path("rows.json"), as_frame=False), rows)

    def test_bad_file(self):
        with open(self.path("bad.json"), "w") as f:
            f.write('{"rows": [1, 2')
        with self.assertRaises(ValueError):
            coseval.read_report(self.path("bad.json"))

    def test_dataframe(self):
        if importlib.util.find_spec("pandas") is None:
            self.assertIsInstance(coseval.read_report(self.path("r.csv")), list)
            self.skipTest("pandas is not installed (python3-pandas)")
        df_csv = coseval.read_report(self.path("r.csv"))
        df_json = coseval.read_report(self.path("r.json"))
        self.assertEqual(list(df_csv.columns), list(df_json.columns))
        self.assertEqual(str(df_csv["value"].dtype), "float64")
        self.assertEqual(str(df_csv["problems"].dtype), "int64")
        self.assertTrue(df_csv.equals(df_json))
        rows = coseval.read_report(self.path("r.csv"), as_frame=False)
        self.assertEqual(df_csv["value"].tolist(), [r["value"] for r in rows])
        self.assertEqual(df_json.attrs["coseval"]["command"], "report")
        self.assertEqual(df_json.attrs["coseval"]["grader_version"], coseval.grader_version())


class InstallTest(unittest.TestCase):
    def test_pip_install_offline(self):
        missing = []
        for module in ("venv", "ensurepip", "setuptools"):
            try:
                __import__(module)
            except ImportError:
                missing.append(module)
        try:
            import setuptools
            if tuple(int(x) for x in setuptools.__version__.split(".")[:2]) < (70, 1):
                __import__("wheel")
        except ImportError:
            missing.append("wheel")
        except ValueError:
            pass
        if missing:
            self.skipTest("cannot build a venv with pip here, missing: %s (Debian: python3-venv python3-pip "
                          "python3-setuptools python3-wheel)" % ", ".join(missing))
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            os.mkdir(src)
            shutil.copy(os.path.join(os.path.dirname(HERE), "pyproject.toml"), src)
            shutil.copytree(os.path.join(os.path.dirname(HERE), "coseval"), os.path.join(src, "coseval"),
                            ignore=shutil.ignore_patterns("__pycache__"))
            venv = os.path.join(tmp, "v")
            env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_INDEX_URL")}
            env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
            p = subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", venv], env=env,
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            pip = os.path.join(venv, "bin", "pip")
            p = subprocess.run([pip, "install", "--no-build-isolation", "--no-index", src], env=env,
                               capture_output=True, text=True, timeout=600, cwd=tmp)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            code = ("import coseval; print(coseval.__file__); print(coseval.__version__); "
                    "print(coseval.check('\\\\frac{1}{2}', '0.5').equal)")
            env["COSEVAL_LIBRARY"] = coseval.library_path()
            p = subprocess.run([os.path.join(venv, "bin", "python"), "-c", code], env=env, capture_output=True,
                               text=True, timeout=300, cwd=tmp)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            where, ver, equal = p.stdout.split()
            self.assertTrue(where.startswith(venv), where)
            self.assertEqual(ver, coseval.__version__)
            self.assertEqual(equal, "True")


if __name__ == "__main__":
    unittest.main()
