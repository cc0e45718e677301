"""A real OpenLDAP directory for the e2e suite: Debian's `slapd`, run by the test on 127.0.0.1.

Everything lives in one work dir: a slapd.conf (schemas are only read from /etc/ldap/schema), an mdb
database, the pid file and the log. Nothing under /etc/ldap or /var/lib/ldap is written, no system service
is used, and slapd listens only on ldap://127.0.0.1:PORT.

The memberof overlay is on: a user who is a `member` of a `groupOfNames` gets a `memberOf` value naming the
group. The overlay maintains it only for changes made through the running server, which is why groups are
added with ldapadd (never slapadd). In OpenLDAP 2.5 memberOf is operational: ask for it by name (or `+`).

Access: anonymous bind and simple bind of any entry with its own password work; userPassword is readable by
nobody (the rootdn admin bypasses access control) and writable by its owner; everything else is readable.
"""
from __future__ import annotations

import base64
import ctypes
import hashlib
import os
import secrets
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import require_tools, run
from registry_server import free_port

SLAPD = Path("/usr/sbin/slapd")
MODULE_PATH = Path("/usr/lib/ldap")
SCHEMA_DIR = Path("/etc/ldap/schema")
SCHEMAS = ("core", "cosine", "inetorgperson")
# Our clients ignore /etc/ldap/ldap.conf and ~/.ldaprc (LDAPNOINIT), so host settings cannot leak in.
CLIENT_ENV = {**os.environ, "LDAPNOINIT": "1"}


def ssha(password: str) -> str:
    """An RFC 2307 {SSHA} hash of password (salted SHA-1), as slappasswd makes it."""
    salt = secrets.token_bytes(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM slapd when the test process dies (PR_SET_PDEATHSIG)."""
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)


class LDAPServer:
    """One slapd on a free loopback port with its own config and database under `workdir`."""

    base_dn = "dc=berth,dc=test"
    admin_dn = "cn=admin,dc=berth,dc=test"
    people_dn = "ou=people,dc=berth,dc=test"
    groups_dn = "ou=groups,dc=berth,dc=test"

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.admin_password = "adm-" + secrets.token_urlsafe(12)
        self.port = 0
        self.tls_port = 0
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "slapd.log"

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        """The same directory over TLS, with a self-signed certificate for 127.0.0.1 (no client trusts it)."""
        return f"ldaps://127.0.0.1:{self.tls_port}"

    def _write_certificate(self) -> tuple[Path, Path]:
        key, cert = self.workdir / "tls.key", self.workdir / "tls.crt"
        if not cert.exists():
            run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)], timeout=60)
        return key, cert

    # --- lifecycle -----------------------------------------------------------------------------------------

    def _write_config(self) -> Path:
        db = self.workdir / "db"
        db.mkdir(exist_ok=True)
        includes = "".join(f"include {SCHEMA_DIR / name}.schema\n" for name in SCHEMAS)
        key, cert = self._write_certificate()
        conf = self.workdir / "slapd.conf"
        conf.write_text(
            f"{includes}"
            f"TLSCertificateFile {cert}\n"
            f"TLSCertificateKeyFile {key}\n"
            f"modulepath {MODULE_PATH}\n"
            "moduleload back_mdb\n"
            "moduleload memberof\n"
            f"pidfile {self.workdir / 'slapd.pid'}\n"
            f"argsfile {self.workdir / 'slapd.args'}\n"
            "loglevel stats\n"
            "database mdb\n"
            f"suffix \"{self.base_dn}\"\n"
            f"rootdn \"{self.admin_dn}\"\n"
            f"rootpw {ssha(self.admin_password)}\n"
            f"directory {db}\n"
            f"maxsize {64 * 1024 * 1024}\n"
            "index objectClass eq\n"
            "index uid,cn,member eq\n"
            "overlay memberof\n"
            "memberof-group-oc groupOfNames\n"
            "memberof-member-ad member\n"
            "memberof-memberof-ad memberOf\n"
            "memberof-refint TRUE\n"
            "access to attrs=userPassword\n"
            "  by self write\n"
            "  by anonymous auth\n"
            "  by * none\n"
            "access to *\n"
            "  by * read\n"
        )
        return conf

    def start(self, timeout: float = 20) -> "LDAPServer":
        """Starts slapd, waits until the base entry answers a search, then adds the base, people and groups."""
        conf = self._write_config()
        deadline = time.monotonic() + timeout
        for attempt in range(3):  # a free port can be taken before slapd binds it
            self.port, self.tls_port = free_port(), free_port()
            with open(self.log_path, "a") as log:
                log.write(f"--- start on {self.url} (attempt {attempt + 1})\n")
                log.flush()
                self.proc = subprocess.Popen(
                    [str(SLAPD), "-f", str(conf), "-h", f"{self.url} {self.ldaps_url}", "-d", "stats"],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent, start_new_session=True)
            while time.monotonic() < deadline and self.proc.poll() is None:
                if self._answers():
                    self._seed()
                    return self
                time.sleep(0.1)
            if self.proc.poll() is None or "Address already in use" not in self.tail():
                break
        self.stop()
        raise RuntimeError(f"slapd did not serve {self.url} within {timeout}s "
                           f"(exit code {self.proc.returncode}):\n{self.tail()}")

    def _answers(self) -> bool:
        """True once the server accepts an admin bind (the base entry may not exist yet: 32 is fine)."""
        out = subprocess.run(["ldapsearch", "-x", "-H", self.url, "-D", self.admin_dn, "-w", self.admin_password,
                              "-b", self.base_dn, "-s", "base", "-o", "nettimeout=2", "dn"],
                             capture_output=True, text=True, timeout=10, env=CLIENT_ENV, stdin=subprocess.DEVNULL)
        return out.returncode in (0, 32)

    def _seed(self) -> None:
        if self.search(self.base_dn, "(objectClass=*)", "dn", scope="base"):
            return
        self.ldif("ldapadd",
                  f"dn: {self.base_dn}\nobjectClass: dcObject\nobjectClass: organization\ndc: berth\no: Berth test\n\n"
                  f"dn: {self.people_dn}\nobjectClass: organizationalUnit\nou: people\n\n"
                  f"dn: {self.groups_dn}\nobjectClass: organizationalUnit\nou: groups\n")

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 10 s; returns slapd's exit code (None if it never ran)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.returncode

    def tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except FileNotFoundError:
            return "(no log)"

    # --- directory content -----------------------------------------------------------------------------------

    def ldif(self, tool: str, text: str) -> subprocess.CompletedProcess:
        """Runs ldapadd / ldapmodify / ldapdelete as admin with `text` on stdin; raises on failure."""
        return run([tool, "-x", "-H", self.url, "-D", self.admin_dn, "-w", self.admin_password],
                   timeout=30, input=text, env=CLIENT_ENV)

    def search(self, base: str, filter: str = "(objectClass=*)", *attrs: str, scope: str = "sub",
               bind: tuple[str, str] | str | None = "admin") -> dict[str, dict[str, list[str]]]:
        """ldapsearch: {dn: {attribute: [values]}}. bind: "admin" (default), None (anonymous) or (dn, password)."""
        if bind == "admin":
            bind = (self.admin_dn, self.admin_password)
        auth = ["-D", bind[0], "-w", bind[1]] if bind else []
        out = run(["ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H", self.url, *auth, "-b", base,
                   "-s", scope, filter, *attrs], timeout=30, check=False, env=CLIENT_ENV)
        if out.returncode == 32:
            return {}
        if out.returncode != 0:
            raise AssertionError(f"ldapsearch {base} {filter} failed ({out.returncode}): {out.stderr}")
        entries: dict[str, dict[str, list[str]]] = {}
        current: dict[str, list[str]] = {}
        for line in out.stdout.splitlines():
            if not line.strip():
                continue
            name, _, value = line.partition(":")
            value = base64.b64decode(value[2:]).decode(errors="replace") if value.startswith(": ") \
                else value.strip()
            if name == "dn":
                current = entries.setdefault(value, {})
            else:
                current.setdefault(name, []).append(value)
        return entries

    def user_dn(self, uid: str) -> str:
        return f"uid={uid},{self.people_dn}"

    def group_dn(self, cn: str) -> str:
        return f"cn={cn},{self.groups_dn}"

    def add_user(self, uid: str, password: str, mail: str | None = None, cn: str | None = None) -> str:
        """Adds an inetOrgPerson (uid, cn, sn, mail, {SSHA} userPassword) under people_dn; returns its DN."""
        dn = self.user_dn(uid)
        self.ldif("ldapadd", f"dn: {dn}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {cn or uid}\nsn: {uid}\n"
                             f"mail: {mail or uid + '@berth.test'}\nuserPassword: {ssha(password)}\n")
        return dn

    def add_group(self, cn: str, member_dns: list[str]) -> str:
        """Adds a groupOfNames (at least one member) under groups_dn; the members get memberOf. Returns its DN."""
        if not member_dns:
            raise ValueError("a groupOfNames needs at least one member")
        dn = self.group_dn(cn)
        members = "".join(f"member: {m}\n" for m in member_dns)
        self.ldif("ldapadd", f"dn: {dn}\nobjectClass: groupOfNames\ncn: {cn}\n{members}")
        return dn

    def add_member(self, group_dn: str, user_dn: str) -> None:
        self.ldif("ldapmodify", f"dn: {group_dn}\nchangetype: modify\nadd: member\nmember: {user_dn}\n")

    def set_password(self, uid: str, new: str) -> None:
        self.ldif("ldapmodify", f"dn: {self.user_dn(uid)}\nchangetype: modify\nreplace: userPassword\n"
                                f"userPassword: {ssha(new)}\n")

    def delete_user(self, uid: str) -> None:
        """Deletes the user; memberof-refint drops it from its groups' member lists, except from a group whose
        only member it was (a groupOfNames cannot be empty: slapd logs err=65 and the dangling DN stays)."""
        self.ldif("ldapdelete", self.user_dn(uid) + "\n")


@pytest.fixture(scope="module")
def ldap(tmp_path_factory) -> LDAPServer:
    """A started LDAPServer for one test module. Without slapd and ldap-utils it fails under make test and CI
    (E2E_STRICT) and skips loudly in ad-hoc runs."""
    require_tools(str(SLAPD), "ldapadd", "ldapsearch")
    server = LDAPServer(tmp_path_factory.mktemp("ldap")).start()
    yield server
    code = server.stop()
    print(f"\nslapd stopped with exit code {code}; log: {server.log_path}")


__all__ = ["LDAPServer", "ldap", "ssha"]
