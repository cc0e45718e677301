import Testing
import BerthCore
import BerthCrypto
import Dispatch

@Suite struct ContentHasherTests {
    @Test(arguments: [
        ("", Digest.Algorithm.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", .sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", .sha256,
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("", .sha512, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
            + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        ("abc", .sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ])
    func knownVectors(input: String, algorithm: Digest.Algorithm, hex: String) {
        #expect(Hashing.digest(of: Array(input.utf8), algorithm: algorithm).description == "\(algorithm.rawValue):\(hex)")
    }

    static func pattern(_ count: Int) -> [UInt8] {
        var state: UInt32 = 0x1234_5678
        return (0..<count).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    @Test(arguments: Digest.Algorithm.allCases)
    func oddPiecesEqualOneShot(algorithm: Digest.Algorithm) {
        let data = Self.pattern(3 * 1024 * 1024 + 17)
        var hasher = ContentHasher(algorithm: algorithm)
        var offset = 0
        var piece = 1
        while offset < data.count {
            let end = min(data.count, offset + piece)
            data[offset..<end].withUnsafeBytes { hasher.update($0) }
            offset = end
            piece = piece * 3 + 7  // 1, 10, 37, 118, ... odd sizes that cross block boundaries
            if piece > 700_000 { piece = 13 }
        }
        let oneShot = Hashing.digest(of: data, algorithm: algorithm)
        #expect(hasher.finalize() == oneShot)
        #expect(Hashing.digest(of: Array(data.dropLast()), algorithm: algorithm) != oneShot)
    }

    @Test(arguments: Digest.Algorithm.allCases)
    func exportedStateResumesMidStream(algorithm: Digest.Algorithm) throws {
        let data = Self.pattern(1_000_003)
        for split in [0, 1, 63, 64, 65, 127, 128, 129, 500_001, data.count] {
            var first = ContentHasher(algorithm: algorithm)
            first.update(Array(data[..<split]))
            let state = first.exportState()
            var resumed = try #require(ContentHasher(algorithm: algorithm, state: state))
            resumed.update(Array(data[split...]))
            #expect(resumed.finalize() == Hashing.digest(of: data, algorithm: algorithm), "split \(split)")
        }
    }

    @Test func copyIsAnIndependentClone() {
        var hasher = ContentHasher(algorithm: .sha256)
        hasher.update(Array("ab".utf8))
        let snapshot = hasher
        hasher.update(Array("c".utf8))
        #expect(snapshot.finalize() == Hashing.digest(of: Array("ab".utf8)))
        #expect(hasher.finalize() == Hashing.digest(of: Array("abc".utf8)))
    }

    @Test func rejectsMalformedState() {
        let good = ContentHasher(algorithm: .sha256).exportState()
        #expect(ContentHasher(algorithm: .sha256, state: good) != nil)
        #expect(ContentHasher(algorithm: .sha512, state: good) == nil)
        #expect(ContentHasher(algorithm: .sha256, state: Array(good.dropLast())) == nil)
        #expect(ContentHasher(algorithm: .sha256, state: good + [0]) == nil)
        #expect(ContentHasher(algorithm: .sha256, state: []) == nil)
        var badVersion = good
        badVersion[0] = 99
        #expect(ContentHasher(algorithm: .sha256, state: badVersion) == nil)
        // A buffered byte count beyond the block size would overflow OpenSSL's buffer: must be refused.
        var badCount = good
        for index in 2..<badCount.count { badCount[index] = 0xFF }
        #expect(ContentHasher(algorithm: .sha256, state: badCount) == nil)
    }

    @Test(arguments: Digest.Algorithm.allCases)
    func throughput(algorithm: Digest.Algorithm) {
        let chunk = [UInt8](repeating: 0x5A, count: 4 * 1024 * 1024)
        var hasher = ContentHasher(algorithm: algorithm)
        let rounds = 64
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<rounds { hasher.update(chunk) }
        let digest = hasher.finalize()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rate = Double(rounds * chunk.count) / seconds / 1e9
        print("ContentHasher \(algorithm.rawValue): \(rounds * 4) MiB in \(seconds)s = \(rate) GB/s")
        #expect(digest.algorithm == algorithm)
    }
}
