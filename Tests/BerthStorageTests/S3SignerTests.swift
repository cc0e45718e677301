import Testing
import Glibc
import BerthCore
import BerthCrypto
@testable import BerthStorage

/// SigV4 against AWS's published examples and against botocore's signer for the same inputs.
@Suite struct S3SignerTests {
    static let exampleKey = S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                          secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let may24: Int64 = 1_369_353_600 // 2013-05-24T00:00:00Z

    static func signature(of headers: [(String, String)]) -> String? {
        headers.first { $0.0 == "Authorization" }?.1.components(after: "Signature=")
    }

    /// The signature-v4 test suite's `get-vanilla` case.
    @Test func getVanilla() {
        let signer = S3Signer(credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE",
                                                         secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                              region: "us-east-1", service: "service")
        let added = signer.sign(method: "GET", path: "/", query: [], headers: [("Host", "example.amazonaws.com")],
                                payloadHash: S3Signer.emptyPayloadHash, date: 1_440_938_160)
        #expect(added.first { $0.0 == "x-amz-date" }?.1 == "20150830T123600Z")
        #expect(Self.signature(of: added) == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(added.last?.1.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ") == true)
    }

    /// The S3 documentation's GET Object example with a Range header.
    @Test func s3GetObjectExample() {
        let signer = S3Signer(credentials: Self.exampleKey, region: "us-east-1")
        let added = signer.sign(method: "GET", path: "/test.txt", query: [],
                                headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")],
                                payloadHash: S3Signer.emptyPayloadHash, date: Self.may24)
        #expect(Self.signature(of: added) == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// The S3 documentation's presigned URL example (24 hours).
    @Test func s3PresignedExample() {
        let signer = S3Signer(credentials: Self.exampleKey, region: "us-east-1")
        let query = signer.presign(method: "GET", path: "/test.txt", query: [], host: "examplebucket.s3.amazonaws.com",
                                   expiresSeconds: 86400, date: Self.may24)
        #expect(query.last?.0 == "X-Amz-Signature")
        #expect(query.last?.1 == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    @Test func encodingAndLocations() throws {
        #expect(S3Signer.uriEncode("a b/c~d*é", keepSlash: true) == "a%20b/c~d%2A%C3%A9")
        #expect(S3Signer.canonicalQuery([("uploadId", "x/y"), ("partNumber", "2"), ("uploads", "")])
                == "partNumber=2&uploadId=x%2Fy&uploads=")
        let path = try S3Location(url: "s3://bk/pre/fix/?endpoint=http%3A%2F%2F127.0.0.1%3A9000&region=eu-west-1")
        #expect(path.prefix == "pre/fix" && path.region == "eu-west-1" && path.style == .path)
        #expect(path.url(key: path.key("blobs/x"), query: "").text == "http://127.0.0.1:9000/bk/pre/fix/blobs/x")
        let virtual = try S3Location(url: "s3://bk?region=us-west-2")
        #expect(virtual.style == .virtual && virtual.prefix.isEmpty)
        #expect(virtual.url(key: "k", query: "a=1").text == "https://bk.s3.us-west-2.amazonaws.com/k?a=1")
        #expect(throws: StorageError.self) { try S3Location(url: "http://bk") }
    }

    /// Same inputs through botocore (from .venv-test); skipped with a message when botocore is missing.
    @Test func matchesBotocore() throws {
        let root = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        let python = "/\(root)/.venv-test/bin/python"
        guard access(python, X_OK) == 0 else {
            print("SKIP S3SignerTests.matchesBotocore: \(python) missing (run scripts/install-deps.sh test)")
            return
        }
        let signer = S3Signer(credentials: S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: "s3cr3t/+key",
                                                         sessionToken: "tok=en"), region: "eu-central-1")
        let date: Int64 = 1_767_225_600 + 12_345
        let body = Array("hello, part".utf8)
        let bodyHash = Hashing.digest(of: body).hex
        let cases: [(method: String, path: String, query: [(String, String)], extra: [(String, String)], hash: String, body: String)] = [
            ("PUT", "/bucket/pre/blobs/sha256/ab/abcdef", [("partNumber", "3"), ("uploadId", "u+p/id==")],
             [("Range", "bytes=0-9"), ("x-amz-meta-berth-data", "pre/data/x")], bodyHash, "hello, part"),
            ("GET", "/bucket", [("list-type", "2"), ("prefix", "pre/uploads/"), ("continuation-token", "a b")], [],
             S3Signer.emptyPayloadHash, ""),
            ("DELETE", "/bucket/k%20ey", [], [], S3Signer.emptyPayloadHash, ""),
        ]
        var lines: [String] = []
        var expected: [String] = []
        for item in cases {
            let headers = [("host", "127.0.0.1:9000")] + item.extra
            let added = signer.sign(method: item.method, path: item.path, query: item.query, headers: headers,
                                    payloadHash: item.hash, date: date)
            expected.append(Self.signature(of: added) ?? "")
            let url = "http://127.0.0.1:9000\(item.path)" + (item.query.isEmpty ? "" : "?" + S3Signer.canonicalQuery(item.query))
            let all = (item.extra + [("x-amz-content-sha256", item.hash), ("x-amz-security-token", "tok=en")])
                .map { "[\(JSONText.quote($0.0)),\(JSONText.quote($0.1))]" }.joined(separator: ",")
            lines.append("{\"access\":\"AKIDTEST\",\"secret\":\"s3cr3t/+key\",\"token\":\"tok=en\",\"service\":\"s3\","
                         + "\"region\":\"eu-central-1\",\"method\":\"\(item.method)\",\"url\":\(JSONText.quote(url)),"
                         + "\"headers\":[\(all)],\"timestamp\":\"\(S3Signer.timestamp(date))\",\"body\":\(JSONText.quote(item.body))}")
        }
        let presigned = signer.presign(method: "GET", path: "/bucket/pre/data/x", query: [], host: "127.0.0.1:9000",
                                       expiresSeconds: 900, date: date)
        expected.append(presigned.last?.1 ?? "")
        lines.append("{\"access\":\"AKIDTEST\",\"secret\":\"s3cr3t/+key\",\"token\":\"tok=en\",\"service\":\"s3\","
                     + "\"region\":\"eu-central-1\",\"method\":\"GET\",\"url\":\"http://127.0.0.1:9000/bucket/pre/data/x\","
                     + "\"headers\":[],\"timestamp\":\"\(S3Signer.timestamp(date))\",\"expires\":900}")
        let output = try runPython(python, script: Self.botocoreScript, input: lines.joined(separator: "\n") + "\n")
        #expect(output.split(separator: "\n").map(String.init) == expected)
    }

    static let botocoreScript = """
    import json, sys
    from botocore.auth import SigV4Auth, S3SigV4Auth, S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    for line in sys.stdin:
        c = json.loads(line)
        creds = Credentials(c['access'], c['secret'], c.get('token'))
        req = AWSRequest(method=c['method'], url=c['url'], headers=dict(c['headers']), data=c.get('body', '').encode())
        req.context['timestamp'] = c['timestamp']
        if 'expires' in c:
            auth = S3SigV4QueryAuth(creds, c['service'], c['region'], expires=c['expires'])
        else:
            kind = S3SigV4Auth if c['service'] == 's3' else SigV4Auth
            auth = kind(creds, c['service'], c['region'])
        auth._modify_request_before_signing(req)
        print(auth.signature(auth.string_to_sign(req, auth.canonical_request(req)), req))
    """

    /// Runs `script` with `input` on standard input; returns standard output.
    func runPython(_ python: String, script: String, input: String) throws -> String {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let scriptPath = directory.path + "/sign.py", inputPath = directory.path + "/in.jsonl"
        try FileIO.writeAtomically(Array(script.utf8), to: scriptPath, temporary: scriptPath + ".t", sync: false)
        try FileIO.writeAtomically(Array(input.utf8), to: inputPath, temporary: inputPath + ".t", sync: false)
        guard let pipe = popen("'\(python)' '\(scriptPath)' < '\(inputPath)'", "r") else {
            throw StorageError.io("popen failed")
        }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, pipe)
            if count <= 0 { break }
            out += buffer[0..<count]
        }
        let status = pclose(pipe)
        #expect(status == 0, "botocore script failed")
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// The text after the first occurrence of `marker`, or nil.
    func components(after marker: String) -> String? {
        guard let range = firstRange(of: marker) else { return nil }
        return String(self[range.upperBound...])
    }
}
