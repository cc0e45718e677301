"""Authentication settings in a cluster: a change through /api/v2.0/configurations on one node applies to the
next login on every node (the settings live in the shared database), without a restart."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
import requests

from test_cluster import AUTH, cluster, monkeypatch_module  # noqa: F401  (module-scoped fixtures)

pytestmark = pytest.mark.berth_only

SECRET = "Cluster-Client-Secret-91c2"


@pytest.fixture(scope="module", autouse=True)
def behind_one_url():
    """The nodes share one external URL, as behind a load balancer (single sign-on needs a callback URL)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BERTH_EXTERNAL_URL", "http://127.0.0.1:9")
        yield


@pytest.fixture(scope="module")
def provider():
    from oidc_provider import OIDCProvider
    p = OIDCProvider().start()
    yield p
    p.stop()


def login_client_id(node) -> str:
    r = requests.get(f"{node.url}/c/oidc/login", allow_redirects=False, timeout=30)
    assert r.status_code == 302, (r.status_code, r.text[:200])
    return parse_qs(urlparse(r.headers["Location"]).query)["client_id"][0]


def test_a_change_on_one_node_applies_on_every_node(cluster, provider):  # noqa: F811
    for node in cluster:
        assert requests.get(f"{node.url}/c/oidc/login", allow_redirects=False, timeout=30).status_code == 404
    settings = {"auth_mode": "oidc_auth", "oidc_name": "Cluster IdP", "oidc_endpoint": provider.issuer,
                "oidc_client_id": "cluster-1", "oidc_client_secret": SECRET}
    r = requests.put(f"{cluster[0].url}/api/v2.0/configurations", auth=AUTH, json=settings, timeout=30)
    assert r.status_code == 200, r.text
    for node in cluster:
        info = requests.get(f"{node.url}/api/v2.0/systeminfo", timeout=30).json()
        assert info["auth_mode"] == "oidc_auth" and info["oidc_provider_name"] == "Cluster IdP"
        assert login_client_id(node) == "cluster-1"
        r = requests.get(f"{node.url}/api/v2.0/configurations", auth=AUTH, timeout=30)
        assert r.json()["oidc_client_id"]["value"] == "cluster-1" and SECRET not in r.text

    # Node 1 changes the client; nodes 0 and 2, which built their client already, rebuild it.
    r = requests.put(f"{cluster[1].url}/api/v2.0/configurations", auth=AUTH, json={"oidc_client_id": "cluster-2"},
                     timeout=30)
    assert r.status_code == 200, r.text
    assert [login_client_id(node) for node in cluster] == ["cluster-2"] * 3

    r = requests.put(f"{cluster[2].url}/api/v2.0/configurations", auth=AUTH, json={"auth_mode": "db_auth"},
                     timeout=30)
    assert r.status_code == 200, r.text
    for node in cluster:
        assert requests.get(f"{node.url}/api/v2.0/systeminfo", timeout=30).json()["auth_mode"] == "db_auth"
        assert requests.get(f"{node.url}/c/oidc/login", allow_redirects=False, timeout=30).status_code == 404


def test_token_expiration_set_on_one_node_applies_on_every_node(cluster):  # noqa: F811
    """token_expiration lives in the shared database: each node re-reads it within a few seconds."""
    import time
    r = requests.put(f"{cluster[0].url}/api/v2.0/configurations", auth=AUTH, json={"token_expiration": 7}, timeout=30)
    assert r.status_code == 200, r.text
    try:
        def lifetimes():
            return [requests.get(f"{node.url}/service/token", params={"scope": "repository:library/x:pull"},
                                 auth=AUTH, timeout=30).json()["expires_in"] for node in cluster]
        deadline = time.monotonic() + 15
        seen = lifetimes()
        while seen != [420] * len(cluster) and time.monotonic() < deadline:
            time.sleep(0.5)
            seen = lifetimes()
        assert seen == [420] * len(cluster), seen
        assert all(requests.get(f"{node.url}/api/v2.0/configurations", auth=AUTH, timeout=30)
                   .json()["token_expiration"]["value"] == 7 for node in cluster)
    finally:
        requests.put(f"{cluster[0].url}/api/v2.0/configurations", auth=AUTH, json={"token_expiration": 30}, timeout=30)
