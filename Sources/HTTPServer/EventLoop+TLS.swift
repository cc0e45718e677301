import BerthCore
internal import CLinuxShim
import Glibc

/// TLS connections: the same state machine as plain ones, with `SSL_read` / `SSL_write` in place of
/// `read` / `send`, and `pread` + `SSL_write` in place of `sendfile`.
extension EventLoop {
    /// The result of one attempt to send part of a file over TLS.
    enum FileStep { case progress, blocked, failed }

    static let tlsStagingSize = 128 * 1024

    /// Dispatches an epoll event for a TLS connection; an operation may wait for the other direction.
    func handleTLS(event: UInt32, connection: Connection) {
        if event & UInt32(BERTH_EV_ERR) != 0 { close(connection); return }
        if event & UInt32(BERTH_EV_HUP) != 0 && !wantsRead(connection) && !connection.tlsWriteWantsRead {
            close(connection)
            return
        }
        if event & UInt32(BERTH_EV_OUT) != 0 {
            if connection.tlsReadWantsWrite { readAvailable(connection) }
            if connection.isOpen { flush(connection) }
        }
        if connection.isOpen && event & UInt32(BERTH_EV_IN | BERTH_EV_HUP) != 0 {
            if connection.tlsWriteWantsRead { flush(connection) }
            if connection.isOpen { readAvailable(connection) }
        }
    }

    /// Reads and decrypts what is available (driving the handshake) and processes it.
    func readAvailableTLS(_ connection: Connection, _ tls: TLSSession) {
        connection.tlsReadWantsWrite = false
        var rounds = 0
        reading: while connection.isOpen && wantsRead(connection) && (rounds < 16 || tls.hasPendingBytes) {
            rounds += 1
            switch tls.read(into: readBuffer.baseAddress!, count: readBuffer.count) {
            case .bytes(let count):
                let bytes = UnsafeBufferPointer(start: readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                count: count)
                received(connection, bytes)
            case .wantRead:
                break reading
            case .wantWrite:
                connection.tlsReadWantsWrite = true
                break reading
            case .closed:
                receivedEOF(connection)
                break reading
            case .failed:
                close(connection)
                return
            }
        }
        updateInterest(connection)
    }

    /// Encrypts and sends bytes; returns the count sent or a negative errno like `berth_send`.
    func sendTLS(_ connection: Connection, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        guard let tls = connection.tls else { return -Int(EPIPE) }
        switch tls.write(bytes, count: count) {
        case .bytes(let sent): return sent
        case .wantWrite: return -Int(EAGAIN)
        case .wantRead:
            connection.tlsWriteWantsRead = true
            return -Int(EAGAIN)
        case .closed, .failed: return -Int(EPIPE)
        }
    }

    /// Sends the next piece of a file region: `pread` into the connection's staging buffer, then `SSL_write`.
    /// Completes the outbound item (closing the file) when both the region and the staging buffer are done.
    func sendFileTLS(_ connection: Connection, index: Int, fd: Int32, offset: Int64, remaining: Int64) -> FileStep {
        if connection.tlsStaging.isEmpty {
            connection.tlsStaging = [UInt8](repeating: 0, count: Self.tlsStagingSize)
            connection.tlsStagingOffset = 0
            connection.tlsStagingEnd = 0
        }
        if connection.tlsStagingOffset >= connection.tlsStagingEnd {
            if remaining == 0 {
                berth_close(fd)
                connection.outbound[index] = .consumed
                connection.outboundHead += 1
                return .progress
            }
            let want = Int(min(remaining, Int64(Self.tlsStagingSize)))
            let got = connection.tlsStaging.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, Int(offset)) }
            guard got > 0 else { return .failed }
            connection.tlsStagingOffset = 0
            connection.tlsStagingEnd = got
            connection.outbound[index] = .file(fd: fd, offset: offset + Int64(got), remaining: remaining - Int64(got))
        }
        let start = connection.tlsStagingOffset, end = connection.tlsStagingEnd
        let sent = connection.tlsStaging.withUnsafeBytes { raw in
            sendTLS(connection, raw.baseAddress! + start, end - start)
        }
        if sent > 0 {
            connection.tlsStagingOffset += sent
            connection.bytesSent += Int64(sent)
            connection.lastWriteProgress = now
            return .progress
        }
        return sent == -Int(EAGAIN) ? .blocked : .failed
    }
}
