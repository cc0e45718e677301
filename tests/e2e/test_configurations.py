"""Harbor's `/api/v2.0/configurations`: administrators read and change the project creation restriction
and read-only mode at run time; others are refused; every change is in the audit log."""
from __future__ import annotations

import pytest
import requests

from registry_server import RegistryServer

pytestmark = pytest.mark.berth_only


def test_configurations_change_behaviour_and_are_audited(tmp_path):
    server = RegistryServer(tmp_path / "data", kind="berth").start()
    api = f"{server.url}/api/v2.0"
    try:
        r = requests.post(f"{api}/users", auth=server.auth, timeout=30,
                          json={"username": "carol", "password": "Carol-Passw0rd", "email": "carol@example.com",
                                "realname": "Carol"})
        assert r.status_code == 201, r.text
        carol = ("carol", "Carol-Passw0rd")

        listing = requests.get(f"{api}/configurations", auth=server.auth, timeout=30).json()
        assert listing["project_creation_restriction"]["value"] == "everyone"
        assert listing["read_only"] == {"value": False, "editable": True}
        assert listing["auth_mode"]["value"] == "db_auth"
        assert requests.get(f"{api}/configurations", auth=carol, timeout=30).status_code == 403
        assert requests.put(f"{api}/configurations", auth=carol, json={"read_only": True}, timeout=30).status_code == 403
        assert requests.get(f"{api}/configurations", timeout=30).status_code == 401

        r = requests.post(f"{api}/projects", auth=carol, json={"project_name": "carols"}, timeout=30)
        assert r.status_code == 201, r.text
        r = requests.put(f"{api}/configurations", auth=server.auth, json={"project_creation_restriction": "adminonly"},
                         timeout=30)
        assert r.status_code == 200, r.text
        r = requests.post(f"{api}/projects", auth=carol, json={"project_name": "carols2"}, timeout=30)
        assert r.status_code == 403, r.text
        bad = requests.put(f"{api}/configurations", auth=server.auth, json={"project_creation_restriction": "nobody"},
                           timeout=30)
        assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "BAD_REQUEST"

        r = requests.put(f"{api}/configurations", auth=server.auth, json={"read_only": True}, timeout=30)
        assert r.status_code == 200, r.text
        push = requests.post(f"{server.url}/v2/carols/app/blobs/uploads/", auth=server.auth, timeout=30)
        assert push.status_code == 403
        assert push.json()["errors"][0]["message"] == "The system is in read only mode. Any modification is prohibited."
        assert requests.get(f"{server.url}/v2/_catalog", auth=server.auth, timeout=30).status_code == 200
        r = requests.put(f"{api}/configurations", auth=server.auth, json={"read_only": False}, timeout=30)
        assert r.status_code == 200, r.text
        push = requests.post(f"{server.url}/v2/carols/app/blobs/uploads/", auth=server.auth, timeout=30)
        assert push.status_code == 202, push.text

        # The audit writer flushes about once a second.
        import time
        deadline, entries = time.monotonic() + 10, []
        while time.monotonic() < deadline:
            logs = requests.get(f"{api}/audit-logs", auth=server.auth, params={"page_size": 100}, timeout=30).json()
            entries = [e for e in logs if e.get("resource_type") == "configuration"]
            if len(entries) >= 3:
                break
            time.sleep(0.5)
        assert {e["resource"] for e in entries} >= {"project_creation_restriction", "read_only"}
        assert all(e["username"] == "admin" for e in entries)
    finally:
        server.stop()
