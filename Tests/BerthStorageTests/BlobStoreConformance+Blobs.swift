import Testing
import BerthCore
import BerthCrypto
import BerthStorage

extension BlobStoreConformance {
    static func visibilityAndIdempotence(_ open: BlobStoreOpener) async throws {
        let store = try open()
        let data = TestData.bytes(10_000, seed: 7)
        let digest = Hashing.digest(of: data)
        await #expect(throws: StorageError.notFound) { try await store.read(digest, range: nil) }
        for id in ["twin-a", "twin-b"] {
            try await store.startUpload(id: id)
            _ = try await store.appendUpload(id: id, expectedOffset: 0, body: TestData.body([data]))
        }
        #expect(try await store.size(of: digest) == nil)
        #expect(try await store.commitUpload(id: "twin-a", expected: digest) == 10_000)
        #expect(try await store.commitUpload(id: "twin-b", expected: digest) == 10_000)
        await #expect(throws: StorageError.uploadNotFound) { try await store.uploadSize(id: "twin-b") }
        try await store.write(data, as: digest)
        #expect(try await readAll(try await store.read(digest, range: nil)) == data)
    }

    static func smallWrites(_ open: BlobStoreOpener) async throws {
        let store = try open()
        let manifest = Array(#"{"schemaVersion":2}"#.utf8)
        let digest = Hashing.digest(of: manifest)
        try await store.write(manifest, as: digest)
        try await store.write(manifest, as: digest)
        #expect(try await store.size(of: digest) == Int64(manifest.count))
        let lie = Hashing.digest(of: [1])
        await #expect(throws: StorageError.digestMismatch(actual: digest)) { try await store.write(manifest, as: lie) }
        #expect(try await store.size(of: lie) == nil)
        let sha512 = Hashing.digest(of: manifest, algorithm: .sha512)
        try await store.write(manifest, as: sha512)
        #expect(try await readAll(try await store.read(sha512, range: nil)) == manifest)
    }

    static func rangeReads(_ open: BlobStoreOpener) async throws {
        let store = try open()
        let data = TestData.bytes(4096, seed: 8)
        let digest = Hashing.digest(of: data)
        try await store.write(data, as: digest)
        #expect(try await readAll(try await store.read(digest, range: 10..<20)) == Array(data[10..<20]))
        #expect(try await readAll(try await store.read(digest, range: 4000..<9999)) == Array(data[4000...]))
        #expect(try await readAll(try await store.read(digest, range: 4096..<4096)).isEmpty)
        await #expect(throws: StorageError.self) { try await store.read(digest, range: 5000..<6000) }
    }

    static func deleteAndCancel(_ open: BlobStoreOpener) async throws {
        let store = try open()
        let data: [UInt8] = [1, 2, 3]
        let digest = Hashing.digest(of: data)
        try await store.write(data, as: digest)
        try await store.delete(digest)
        try await store.delete(digest)
        #expect(try await store.size(of: digest) == nil)
        try await store.startUpload(id: "gone")
        _ = try await store.appendUpload(id: "gone", expectedOffset: 0, body: TestData.body([data]))
        try await store.cancelUpload(id: "gone")
        try await store.cancelUpload(id: "gone")
        await #expect(throws: StorageError.uploadNotFound) { try await store.uploadSize(id: "gone") }
        await #expect(throws: StorageError.uploadNotFound) {
            try await store.appendUpload(id: "gone", expectedOffset: nil, body: TestData.body([data]))
        }
        await #expect(throws: StorageError.uploadNotFound) { try await store.commitUpload(id: "gone", expected: digest) }
        await #expect(throws: (any Error).self) { try await store.startUpload(id: "dup") ; try await store.startUpload(id: "dup") }
    }

    static func emptyAndSHA512Uploads(_ open: BlobStoreOpener) async throws {
        let store = try open()
        try await store.startUpload(id: "empty")
        #expect(try await store.appendUpload(id: "empty", expectedOffset: 0, body: TestData.body([])) == 0)
        #expect(try await store.commitUpload(id: "empty", expected: Hashing.digest(of: [])) == 0)
        #expect(try await store.size(of: Hashing.digest(of: [])) == 0)
        let data = TestData.bytes(2_500_000, seed: 9)
        try await store.startUpload(id: "big512")
        _ = try await store.appendUpload(id: "big512", expectedOffset: 0,
                                         body: TestData.body(TestData.chunks(data, size: 100_000)))
        let digest = Hashing.digest(of: data, algorithm: .sha512)
        await #expect(throws: StorageError.digestMismatch(actual: digest)) {
            try await store.commitUpload(id: "big512", expected: Hashing.digest(of: [1], algorithm: .sha512))
        }
        #expect(try await store.commitUpload(id: "big512", expected: digest) == 2_500_000)
        #expect(try await readAll(try await store.read(digest, range: nil)) == data)
    }

    static func staleUploads(_ open: BlobStoreOpener) async throws {
        let store = try open()
        try await store.startUpload(id: "fresh")
        try await store.startUpload(id: "other")
        #expect(try await store.staleUploads(olderThanSeconds: 3600).isEmpty)
        #expect(try await store.staleUploads(olderThanSeconds: -1) == ["fresh", "other"])
        try await store.cancelUpload(id: "other")
        #expect(try await store.staleUploads(olderThanSeconds: -1) == ["fresh"])
    }

    static let hostileIDs = ["", "..", "../x", "a/b", "/etc", "a.b", "a b", "%2e%2e", "a\u{0}b", "é",
                             String(repeating: "a", count: 129)]

    static func hostileUploadIDsAreRefused(_ open: BlobStoreOpener) async throws {
        let store = try open()
        for id in hostileIDs {
            await #expect(throws: (any Error).self, "\(id)") { try await store.startUpload(id: id) }
            await #expect(throws: StorageError.uploadNotFound, "\(id)") { try await store.uploadSize(id: id) }
            await #expect(throws: StorageError.uploadNotFound, "\(id)") {
                try await store.appendUpload(id: id, expectedOffset: nil, body: TestData.body([[1]]))
            }
            await #expect(throws: StorageError.uploadNotFound, "\(id)") {
                try await store.commitUpload(id: id, expected: Hashing.digest(of: [1]))
            }
            try await store.cancelUpload(id: id)
        }
        try await store.startUpload(id: String(repeating: "A", count: 128))
        try await store.startUpload(id: "Ok_id-9")
    }
}
