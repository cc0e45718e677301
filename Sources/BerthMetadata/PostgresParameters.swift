/// Statement parameters laid out for `PQexecPrepared`: one contiguous buffer of NUL-terminated values,
/// with lengths and formats. Text and integers go in text format; bytes go in binary format (1), so
/// BYTEA needs no escaping and may contain any byte.
struct PostgresParameters {
    private var storage: [CChar] = []
    /// Offset of each value in `storage`, or nil for SQL NULL.
    private var offsets: [Int?] = []
    private var lengths: [Int32] = []
    private var formats: [Int32] = []

    init(_ values: [SQLValue]) {
        for value in values {
            switch value {
            case .null:
                append(nil, format: 0)
            case .integer(let number):
                append(Array(String(number).utf8), format: 0)
            case .text(let text):
                append(Array(text.utf8), format: 0)
            case .bytes(let bytes):
                append(bytes, format: 1)
            }
        }
    }

    private mutating func append(_ bytes: [UInt8]?, format: Int32) {
        guard let bytes else {
            offsets.append(nil)
            lengths.append(0)
            formats.append(format)
            return
        }
        offsets.append(storage.count)
        storage.append(contentsOf: bytes.map { CChar(bitPattern: $0) })
        storage.append(0)
        lengths.append(Int32(bytes.count))
        formats.append(format)
    }

    /// Calls `body` with the value pointers, lengths and formats, valid only during the call.
    func withArrays<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R) -> R {
        storage.withUnsafeBufferPointer { buffer in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { buffer.baseAddress! + $0 } }
            return pointers.withUnsafeBufferPointer { values in
                lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }
}
