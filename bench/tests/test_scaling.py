"""Self-tests of the pg-s3 backend plumbing and the cluster table (no registry started)."""
import os
import tempfile
import unittest

from harness import backends, cluster, servers, transfer


class ScalingTests(unittest.TestCase):
    def test_distribution_s3_config_and_env(self):
        with tempfile.TemporaryDirectory() as work:
            storage = backends.DIST_S3.format(region="us-east-1", endpoint="http://127.0.0.1:9", bucket="b1",
                                              access="a", secret="s")
            os.environ["AWS_CA_BUNDLE"] = "/nonexistent"
            try:
                srv = servers.distribution(work, "/bin/true", storage)
            finally:
                del os.environ["AWS_CA_BUNDLE"]
            text = open(os.path.join(work, "distribution.yml")).read()
            self.assertIn("regionendpoint: http://127.0.0.1:9", text)
            self.assertIn("bucket: b1", text)
            self.assertNotIn("filesystem", text)
            self.assertNotIn("AWS_CA_BUNDLE", srv.env)
            servers.distribution(work, "/bin/true")
            self.assertIn("filesystem:", open(os.path.join(work, "distribution.yml")).read())

    def test_workers_spread_over_nodes(self):
        self.assertEqual([transfer._port_of([1, 2, 3], w) for w in range(5)], [1, 2, 3, 1, 2])
        self.assertEqual(transfer._port_of(7, 4), 7)

    def test_cluster_table_scaling_column(self):
        r = {"seq_per_s": 2.0, "mb_per_s": 2.1, "nodes_cpu_share": 0.5, "s3_cpu_share": 0.25}
        results = {1: {"push-1m": r}, 3: {"push-1m": dict(r, seq_per_s=3.0), "pull-1m": {"error": "x"}}}
        text = cluster.table(results, [1, 3])
        line = next(ln for ln in text.splitlines() if ln.startswith("push monolithic 1 MiB"))
        self.assertIn("1.50x", line)
        self.assertIn("50%/25%/0%", line)
        self.assertIn("ERROR", next(ln for ln in text.splitlines() if ln.startswith("pull 1 MiB")))


if __name__ == "__main__":
    unittest.main()
