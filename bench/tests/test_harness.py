"""Self-tests of the harness: run with `cd bench && python3 -m unittest discover -s tests -t .`.

The registry tests start CNCF Distribution (/usr/bin/docker-registry) on 127.0.0.1 and are skipped loudly
when it is not installed.
"""
import hashlib
import json
import os
import shutil
import tempfile
import unittest

from harness import oci, paging, randbytes, report, servers, side, transfer, wrkload
from harness.rows import build as build_rows

DIST = "/usr/bin/docker-registry"


class RowTests(unittest.TestCase):
    def test_ratio_targets(self):
        self.assertTrue(report.Row("x", "req/s", 100.0, 10.0, ("ratio>=", 10)).met())
        self.assertFalse(report.Row("x", "req/s", 99.0, 10.0, ("ratio>=", 10)).met())
        self.assertTrue(report.Row("x", "s/GB", 1.0, 2.0, ("ratio<=", 0.5)).met())
        self.assertFalse(report.Row("x", "s/GB", 1.5, 2.0, ("ratio<=", 0.5)).met())

    def test_absolute_targets_and_missing_values(self):
        self.assertTrue(report.Row("rss", "MB", 149.0, 500.0, ("<", 150)).met())
        self.assertFalse(report.Row("rss", "MB", 150.0, 5.0, ("<", 150)).met())
        self.assertIsNone(report.Row("x", "MB/s", None, 5.0, (">=", 1)).met())
        self.assertIsNone(report.Row("x", "MB/s", 5.0, None, ("ratio>=", 2)).ratio)

    def test_render_has_every_row(self):
        rows = [report.Row("alpha", "req/s", 2.0, 1.0, ("ratio>=", 10)), report.Row("beta", "ms", None, 3.0)]
        text = report.render(rows, ["head"])
        self.assertIn("alpha", text)
        self.assertIn("NO", text)
        self.assertIn("2.00x", text)
        self.assertEqual(len(text.splitlines()), 1 + 2 + 2)


class FailureTests(unittest.TestCase):
    def test_failed_workload_is_recorded_and_shown(self):
        res = {}
        with side._Guard(res, ["big-push", "big-pull"], "test"):
            raise RuntimeError("boom")
        self.assertIn("boom", res["big-push"]["error"])
        rows = {r.figure: r for r in build_rows({"big-push": res["big-push"], "big-pull": res["big-pull"]},
                                                 {"big-push": {"mb_per_s": 5.0, "bytes": 1, "server_cpu_s": 1},
                                                  "big-pull": {"mb_per_s": 7.0}}, None, {"big_bytes": 1 << 30, "repos": 1})}
        self.assertEqual(rows["1 GiB blob push (curl -T)"].extra[0], "ERROR")
        self.assertIsNone(rows["1 GiB blob push (curl -T)"].berth)
        self.assertEqual(rows["1 GiB blob pull (curl -o /dev/null)"].dist, 7.0)

    def test_errors_in_a_request_rate_fail_the_target(self):
        ok = {"req_per_s": 1000.0, "errors": 0}
        rows = build_rows({"tags-list": dict(ok, errors=3)}, {"tags-list": dict(ok, req_per_s=10.0)}, None,
                          {"big_bytes": 0, "repos": 1})
        self.assertFalse(rows[0].met())


class RoundTests(unittest.TestCase):
    def test_median_round_is_picked_and_errors_only_when_all_fail(self):
        rounds = [{"a": {"mb_per_s": 5.0}, "b": {"error": "x"}}, {"a": {"mb_per_s": 1.0}, "b": {"error": "y"}},
                  {"a": {"mb_per_s": 9.0}, "b": {"req_per_s": 3.0}}]
        merged = side.merge_rounds(rounds)
        self.assertEqual(merged["a"]["mb_per_s"], 5.0)
        self.assertEqual(merged["a"]["rounds"], [1.0, 5.0, 9.0])
        self.assertEqual(merged["b"]["req_per_s"], 3.0)
        self.assertIn("error", side.merge_rounds(rounds[:2])["b"])


class PayloadTests(unittest.TestCase):
    def test_random_buffers_differ(self):
        a, b = randbytes.random_buffer(1 << 16), randbytes.random_buffer(1 << 16)
        self.assertEqual(len(a), 1 << 16)
        self.assertNotEqual(a, b)
        self.assertGreater(len(set(a)), 250)  # looks random, not zeros

    def test_manifest_is_valid_json_with_digests(self):
        body = oci.image_manifest(("sha256:" + "a" * 64, 10), [("sha256:" + "b" * 64, 20)])
        doc = json.loads(body)
        self.assertEqual(doc["config"]["size"], 10)
        self.assertEqual(doc["layers"][0]["digest"], "sha256:" + "b" * 64)
        self.assertEqual(oci.sha256_digest(body), "sha256:" + hashlib.sha256(body).hexdigest())


@unittest.skipUnless(os.path.exists(DIST), "BENCH SELF-TEST SKIPPED: /usr/bin/docker-registry is not installed")
class DistributionRoundTrip(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.mkdtemp(prefix="bench-selftest-")
        cls.srv = servers.distribution(cls.work, DIST)
        cls.srv.start()

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.work, ignore_errors=True)

    def test_push_then_pull_moves_every_byte(self):
        for mode in ("monolithic", "chunked"):
            pushed = transfer.push(self.srv.port, None, 64 << 10, 2, 6, mode, f"selftest-{mode}", self.srv.cpu_seconds)
            self.assertEqual(pushed["sequences"], 6)
            self.assertEqual(len({img[2] for img in pushed["images"]}), 6)  # unique layer digests
            pulled = transfer.pull(self.srv.port, None, pushed["images"], 3, 1, self.srv.cpu_seconds)
            self.assertEqual(pulled["bytes"], pushed["bytes"])

    def test_paging_walk_counts_seeded_repositories(self):
        paging.seed(self.srv.port, None, 25, workers=2)
        r = paging.walk(self.srv.port, None, "/v2/_catalog?n=10", 1)
        self.assertGreaterEqual(r["items"], 25)
        self.assertGreaterEqual(r["pages"], 3)

    def test_head_rate_counts_responses(self):
        paging.seed(self.srv.port, None, 1, workers=1)
        r = wrkload.run_head(self.srv.port, "/v2/bench/page/r0000/manifests/latest", 1, self.work, oci.ACCEPT)
        self.assertGreater(r["requests"], 10)
        self.assertEqual(r["errors"], 0)
        missing = wrkload.run_head(self.srv.port, "/v2/bench/page/r0000/manifests/nope", 1, self.work, oci.ACCEPT)
        self.assertEqual(missing["errors"], missing["requests"])  # every 404 is counted as an error

    def test_server_figures_are_read_from_proc(self):
        self.assertGreater(self.srv.peak_rss_mb(), 1)
        self.assertGreaterEqual(self.srv.cpu_seconds(), 0)


if __name__ == "__main__":
    unittest.main()
