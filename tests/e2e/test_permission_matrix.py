"""The permission matrix: every kind of principal against every route group Berth serves (/api/v2.0 and /v2),
one representative request per group and verb, proving denial as well as success.

Expectations follow Harbor's project role matrix (src/common/rbac/project/rbac_role.go, mirrored in
Sources/BerthAuth/RoleMatrix.swift), its system-level rules (administrators only) and its robot rules (exactly
the granted {resource, action} pairs, plus read access to public projects). A denied request answers 401 to
an anonymous caller and 403 to an authenticated one, with Harbor's error envelope on /api/v2.0 and the OCI
one on /v2 (DENIED, or UNAUTHORIZED with a Bearer challenge). Private projects are not hidden: like Harbor,
the API answers 403 for a private project and 404 only for a missing one.

All cells run against ONE server (module fixture); cells that destroy something get their own victim.
"""
from __future__ import annotations

import hashlib
import json
import os

import pytest
import requests

from registry_server import RegistryServer

pytestmark = pytest.mark.berth_only

API = "/api/v2.0"
PROJECT, PUBLIC = "matrix", "openmatrix"
PASSWORD = "Matrix-Passw0rd-1"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"

# Principals, by letter. Project roles use Harbor's role ids.
PRINCIPALS = {
    "S": "sysadmin", "A": "projectAdmin", "M": "maintainer", "D": "developer", "G": "guest",
    "L": "limitedGuest", "N": "nonMember", "U": "anonymous", "P": "robotPull", "R": "robotPushPull",
}
ROLES = {"projectAdmin": 1, "developer": 2, "guest": 3, "maintainer": 4, "limitedGuest": 5}

# operation                  allowed principals   status when allowed
MATRIX = """
project.get                  SAMDGL      200
project.put                  SA          200
project.delete               SA          412   # authorized, then refused: the project still holds repositories
project.metadatas            SAM         200
project.metadata_put         SAM         200
project.summary              SAMDGL      200
member.list                  SAMDG       200
member.get                   SAMDG       200
member.add                   SA          201
member.update                SA          200
member.delete                SA          200
robot.list                   SAMDG       200
robot.get                    SAMDG       200
robot.create                 SA          201
robot.delete                 SA          200
repository.list              SAMDGL      200
repository.get               SAMDG       200
repository.put               SAMD        200
repository.delete            SAM         200
artifact.list                SAMDGL      200
artifact.get                 SAMDGL      200
artifact.delete              SAM         200
tag.list                     SAMDGL      200
tag.create                   SAMD        201
tag.delete                   SAM         200
scan.request                 SAM         202
scan.vulnerabilities         SAMDGL      200
scan.status                  SAMDGL      200
log.list                     SAMDG       200
cve_allowlist.get            SAMDGL      200
cve_allowlist.put            SAM         200
audit_logs.list              S           200
users.list                   S           200
users.current                SAMDGLN     200
users.search                 SAMDGLNPR   200
system_cve_allowlist.get     SAMDGLNPR   200
system_cve_allowlist.put     S           200
configurations.get           S           200
configurations.put           S           200
ldap.ping                    S           200
v2.pull                      SAMDGLPR    200
v2.tags                      SAMDGLPR    200
v2.push                      SAMDR       201
v2.delete                    SAM         202
v2.catalog                   S           200
public.project.get           SAMDGLNUPR  200
public.repository.list       SAMDGLNUPR  200
public.v2.pull               SAMDGLNUPR  200
public.v2.push               S           201
"""


def parse_matrix() -> list[tuple[str, str, str, int]]:
    """(operation, principal letter, principal name, expected status) for every cell of MATRIX."""
    cells = []
    for line in MATRIX.strip().splitlines():
        operation, allowed, status = line.split("#")[0].split()
        for letter, name in PRINCIPALS.items():
            cells.append((operation, letter, name, int(status) if letter in allowed else 0))
    return cells


CELLS = parse_matrix()


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


class World:
    """The server, a private project with one member per role, two project robots, a public project."""

    def __init__(self, server: RegistryServer):
        self.server = server
        self.admin = ("admin", server.admin_password)
        self.auth: dict[str, tuple[str, str] | None] = {"sysadmin": self.admin, "anonymous": None}
        self.project_id = 0
        self.member_ids: dict[str, int] = {}
        self.robot_ids: dict[str, int] = {}

    def call(self, who: str, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 30)
        return requests.request(method, self.server.url + path, auth=self.auth[who], **kw)

    def api(self, who: str, method: str, path: str, **kw) -> requests.Response:
        return self.call(who, method, API + path, **kw)

    def setup(self, method: str, path: str, expect: int, **kw) -> requests.Response:
        """An admin request that prepares a cell; asserts its status."""
        r = self.api("sysadmin", method, path, **kw)
        assert r.status_code == expect, (method, path, r.status_code, r.text)
        return r

    def push(self, who: str, repo: str, tag: str) -> tuple[int, str]:
        """Pushes a one-layer image through /v2; returns the first failing status (or 201) and its digest."""
        config = json.dumps({"architecture": "amd64", "os": "linux", "seed": os.urandom(8).hex()}).encode()
        layer = os.urandom(64)
        for blob in (config, layer):
            r = self.call(who, "POST", f"/v2/{repo}/blobs/uploads/?digest={digest(blob)}", data=blob,
                          headers={"Content-Type": "application/octet-stream"})
            if r.status_code != 201:
                return r.status_code, ""
        manifest = json.dumps({"schemaVersion": 2, "mediaType": OCI_MANIFEST,
                               "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                                          "digest": digest(config), "size": len(config)},
                               "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                                           "digest": digest(layer), "size": len(layer)}]}).encode()
        r = self.call(who, "PUT", f"/v2/{repo}/manifests/{tag}", data=manifest, headers={"Content-Type": OCI_MANIFEST})
        return r.status_code, digest(manifest)

    def admin_push(self, repo: str, tag: str = "1") -> str:
        status, pushed = self.push("sysadmin", repo, tag)
        assert status == 201, (repo, status)
        return pushed

    def spare_member(self, who: str, purpose: str) -> int:
        """A fresh user added to the project as guest by the admin; returns the member id."""
        name = f"spare-{purpose}-{who}".lower()
        self.setup("POST", "/users", 201, json={"username": name, "password": PASSWORD, "email": f"{name}@x.test"})
        r = self.setup("POST", f"/projects/{PROJECT}/members", 201, json={"role_id": 3, "member_user": {"username": name}})
        return int(r.headers["Location"].rsplit("/", 1)[1])

    def robot(self, name: str, actions: list[str], project: str = PROJECT) -> dict:
        return self.setup("POST", "/robots", 201, json={
            "name": name, "level": "project", "duration": -1,
            "permissions": [{"kind": "project", "namespace": project,
                             "access": [{"resource": "repository", "action": a} for a in actions]}]}).json()


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    server = RegistryServer(tmp_path_factory.mktemp("matrix") / "data", kind="berth").start()
    w = World(server)
    r = w.setup("POST", "/projects", 201, json={"project_name": PROJECT, "metadata": {"public": "false"}})
    w.project_id = int(r.headers["Location"].rsplit("/", 1)[1])
    w.setup("POST", "/projects", 201, json={"project_name": PUBLIC, "metadata": {"public": "true"}})
    for name in ("projectAdmin", "maintainer", "developer", "guest", "limitedGuest", "nonMember"):
        w.setup("POST", "/users", 201, json={"username": name.lower(), "password": PASSWORD,
                                              "email": f"{name.lower()}@x.test"})
        w.auth[name] = (name.lower(), PASSWORD)
        if name in ROLES:
            r = w.setup("POST", f"/projects/{PROJECT}/members", 201,
                        json={"role_id": ROLES[name], "member_user": {"username": name.lower()}})
            w.member_ids[name] = int(r.headers["Location"].rsplit("/", 1)[1])
    for key, name, actions in (("robotPull", "puller", ["pull"]), ("robotPushPull", "pusher", ["pull", "push"])):
        created = w.robot(name, actions)
        w.auth[key] = (created["name"], created["secret"])
        w.robot_ids[key] = created["id"]
    w.admin_push(f"{PROJECT}/app", "v1")
    w.admin_push(f"{PUBLIC}/app", "v1")
    yield w
    server.stop()


def art(repo: str, ref: str = "v1") -> str:
    return f"/projects/{PROJECT}/repositories/{repo}/artifacts/{ref}"


def victim_artifact(w: World, who: str, kind: str) -> str:
    """A fresh repository `<kind>-<who>` with one image, pushed by the admin; returns its short name."""
    repo = f"{kind}-{who.lower()}"
    w.admin_push(f"{PROJECT}/{repo}", "v1")
    return repo


def tag_victim(w: World, who: str) -> str:
    repo = victim_artifact(w, who, "tagdel")
    w.setup("POST", art(repo) + "/tags", 201, json={"name": "doomed"})
    return repo


def new_user(w: World, who: str) -> str:
    name = f"new-{who.lower()}"
    w.setup("POST", "/users", 201, json={"username": name, "password": PASSWORD, "email": f"{name}@x.test"})
    return name


def robot_victim(w: World, who: str) -> int:
    return w.robot(f"victim-{who.lower()}", ["pull"])["id"]


# Each operation: (who, world) -> response. Setup steps run as the admin before the request.
OPERATIONS = {
    "project.get": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}"),
    "project.put": lambda w, who: w.api(who, "PUT", f"/projects/{PROJECT}", json={"metadata": {"auto_scan": "false"}}),
    "project.delete": lambda w, who: w.api(who, "DELETE", f"/projects/{PROJECT}"),
    "project.metadatas": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/metadatas"),
    "project.metadata_put": lambda w, who: w.api(who, "PUT", f"/projects/{PROJECT}/metadatas/auto_scan",
                                                 json={"auto_scan": "false"}),
    "project.summary": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/summary"),
    "member.list": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/members"),
    "member.get": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/members/{w.member_ids['guest']}"),
    "member.add": lambda w, who: w.api(who, "POST", f"/projects/{PROJECT}/members",
                                       json={"role_id": 3, "member_user": {"username": new_user(w, who)}}),
    "member.update": lambda w, who: w.api(who, "PUT", f"/projects/{PROJECT}/members/{w.spare_member(who, 'up')}",
                                          json={"role_id": 2}),
    "member.delete": lambda w, who: w.api(who, "DELETE", f"/projects/{PROJECT}/members/{w.spare_member(who, 'del')}"),
    "robot.list": lambda w, who: w.api(who, "GET", "/robots", params={"q": f"ProjectID={w.project_id}"}),
    "robot.get": lambda w, who: w.api(who, "GET", f"/robots/{w.robot_ids['robotPull']}"),
    "robot.create": lambda w, who: w.api(who, "POST", "/robots", json={
        "name": f"made-by-{who.lower()}", "level": "project", "duration": -1,
        "permissions": [{"kind": "project", "namespace": PROJECT,
                         "access": [{"resource": "repository", "action": "pull"}]}]}),
    "robot.delete": lambda w, who: w.api(who, "DELETE", f"/robots/{robot_victim(w, who)}"),
    "repository.list": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/repositories"),
    "repository.get": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/repositories/app"),
    "repository.put": lambda w, who: w.api(who, "PUT", f"/projects/{PROJECT}/repositories/app",
                                           json={"description": f"edited by {who}"}),
    "repository.delete": lambda w, who: w.api(
        who, "DELETE", f"/projects/{PROJECT}/repositories/{victim_artifact(w, who, 'repodel')}"),
    "artifact.list": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/repositories/app/artifacts"),
    "artifact.get": lambda w, who: w.api(who, "GET", art("app")),
    "artifact.delete": lambda w, who: w.api(who, "DELETE", art(victim_artifact(w, who, "artdel"))),
    "tag.list": lambda w, who: w.api(who, "GET", art("app") + "/tags"),
    "tag.create": lambda w, who: w.api(who, "POST", art("app") + "/tags", json={"name": f"by-{who.lower()}"}),
    "tag.delete": lambda w, who: w.api(who, "DELETE", art(tag_victim(w, who)) + "/tags/doomed"),
    "scan.request": lambda w, who: w.api(who, "POST", art("app") + "/scan"),
    "scan.vulnerabilities": lambda w, who: w.api(who, "GET", art("app") + "/additions/vulnerabilities"),
    "scan.status": lambda w, who: w.api(who, "GET", art("app") + "/scan/status"),
    "log.list": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/logs"),
    "cve_allowlist.get": lambda w, who: w.api(who, "GET", f"/projects/{PROJECT}/cve_allowlist"),
    "cve_allowlist.put": lambda w, who: w.api(who, "PUT", f"/projects/{PROJECT}/cve_allowlist",
                                              json={"items": [{"cve_id": "CVE-2020-0001"}]}),
    "audit_logs.list": lambda w, who: w.api(who, "GET", "/audit-logs"),
    "users.list": lambda w, who: w.api(who, "GET", "/users"),
    "users.current": lambda w, who: w.api(who, "GET", "/users/current"),
    "users.search": lambda w, who: w.api(who, "GET", "/users/search", params={"username": "guest"}),
    "system_cve_allowlist.get": lambda w, who: w.api(who, "GET", "/system/CVEAllowlist"),
    "system_cve_allowlist.put": lambda w, who: w.api(who, "PUT", "/system/CVEAllowlist", json={"items": []}),
    "configurations.get": lambda w, who: w.api(who, "GET", "/configurations"),
    "configurations.put": lambda w, who: w.api(who, "PUT", "/configurations",
                                               json={"project_creation_restriction": "everyone"}),
    "ldap.ping": lambda w, who: w.api(who, "POST", "/ldap/ping", json={}),
    "v2.pull": lambda w, who: w.call(who, "GET", f"/v2/{PROJECT}/app/manifests/v1", headers={"Accept": OCI_MANIFEST}),
    "v2.tags": lambda w, who: w.call(who, "GET", f"/v2/{PROJECT}/app/tags/list"),
    "v2.push": lambda w, who: w.push(who, f"{PROJECT}/push-{who.lower()}", "1")[0],
    "v2.delete": lambda w, who: w.call(who, "DELETE", f"/v2/{PROJECT}/v2del-{who.lower()}/manifests/"
                                       + w.admin_push(f"{PROJECT}/v2del-{who.lower()}")),
    "v2.catalog": lambda w, who: w.call(who, "GET", "/v2/_catalog"),
    "public.project.get": lambda w, who: w.api(who, "GET", f"/projects/{PUBLIC}"),
    "public.repository.list": lambda w, who: w.api(who, "GET", f"/projects/{PUBLIC}/repositories"),
    "public.v2.pull": lambda w, who: w.call(who, "GET", f"/v2/{PUBLIC}/app/manifests/v1",
                                            headers={"Accept": OCI_MANIFEST}),
    "public.v2.push": lambda w, who: w.push(who, f"{PUBLIC}/push-{who.lower()}", "1")[0],
}


def test_matrix_covers_every_operation():
    assert {op for op, *_ in CELLS} == set(OPERATIONS)


@pytest.mark.parametrize("operation,letter,who,expected", CELLS,
                         ids=[f"{op}-{who}" for op, _, who, _ in CELLS])
def test_permission(world, operation, letter, who, expected):
    result = OPERATIONS[operation](world, who)
    status = result if isinstance(result, int) else result.status_code
    if expected:
        assert status == expected, (operation, who, status, getattr(result, "text", ""))
        return
    anonymous = who == "anonymous"
    assert status == (401 if anonymous else 403), (operation, who, status, getattr(result, "text", ""))
    if isinstance(result, int):  # a push: the refused request's body was checked by v2.pull/v2.delete cells
        return
    errors = result.json()["errors"]
    registry = operation.split(".")[0] == "v2" or ".v2." in operation
    if registry:
        assert errors[0]["code"] == ("UNAUTHORIZED" if anonymous else "DENIED"), errors
        if anonymous:
            assert result.headers["WWW-Authenticate"].startswith("Bearer realm="), result.headers
    else:
        assert errors[0]["code"] == ("UNAUTHORIZED" if anonymous else "FORBIDDEN"), errors
        assert isinstance(errors[0]["message"], str)


def test_private_projects_are_denied_like_missing_ones_on_v2(world):
    """/v2 does not tell a stranger whether a private project exists; the API answers 403 vs 404 like Harbor."""
    for who, status, code in (("nonMember", 403, "DENIED"), ("anonymous", 401, "UNAUTHORIZED")):
        private = world.call(who, "GET", f"/v2/{PROJECT}/app/manifests/v1", headers={"Accept": OCI_MANIFEST})
        missing = world.call(who, "GET", "/v2/no-such-project/app/manifests/v1", headers={"Accept": OCI_MANIFEST})
        assert private.status_code == missing.status_code == status
        assert private.json()["errors"][0]["code"] == missing.json()["errors"][0]["code"] == code
    assert world.api("nonMember", "GET", f"/projects/{PROJECT}").status_code == 403
    assert world.api("nonMember", "GET", "/projects/no-such-project").status_code == 404


def test_a_robot_that_may_push_may_also_pull(world):
    """Harbor's robots: a push grant implies pull (docker push reads blobs and manifests first)."""
    created = world.robot("push-only", ["push"])
    world.auth["pushOnly"] = (created["name"], created["secret"])
    status, pushed = world.push("pushOnly", f"{PROJECT}/by-push-only", "1")
    assert status == 201
    r = world.call("pushOnly", "GET", f"/v2/{PROJECT}/by-push-only/manifests/{pushed}", headers={"Accept": OCI_MANIFEST})
    assert r.status_code == 200, r.text
    r = world.call("pushOnly", "DELETE", f"/v2/{PROJECT}/by-push-only/manifests/{pushed}")
    assert r.status_code == 403 and r.json()["errors"][0]["code"] == "DENIED"
