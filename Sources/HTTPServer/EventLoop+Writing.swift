import BerthCore
internal import CLinuxShim
import Glibc

extension EventLoop {
    /// Writes pending output until done or the socket would block.
    func flush(_ connection: Connection) {
        connection.tlsWriteWantsRead = false
        while connection.isOpen && connection.hasPendingOutput {
            let index = connection.outboundHead
            switch connection.outbound[index] {
            case let .bytes(bytes, offset, done):
                if offset == bytes.count {
                    connection.outbound[index] = .consumed
                    connection.outboundHead += 1
                    done?.resume()
                    continue
                }
                let sent = bytes.withUnsafeBytes { raw in
                    connection.tls == nil ? berth_send(connection.fd, raw.baseAddress! + offset, raw.count - offset)
                        : sendTLS(connection, raw.baseAddress! + offset, raw.count - offset)
                }
                if sent >= 0 {
                    connection.bytesSent += Int64(sent)
                    connection.lastWriteProgress = now
                    connection.outbound[index] = .bytes(bytes, offset: offset + sent, done: done)
                    if offset + sent < bytes.count { return updateInterest(connection) }
                } else if sent == -Int(EAGAIN) {
                    return updateInterest(connection)
                } else {
                    return close(connection)
                }
            case let .file(fd, offset, remaining):
                if connection.tls != nil {
                    switch sendFileTLS(connection, index: index, fd: fd, offset: offset, remaining: remaining) {
                    case .progress: continue
                    case .blocked: return updateInterest(connection)
                    case .failed: return close(connection)
                    }
                }
                if remaining == 0 {
                    berth_close(fd)
                    connection.outbound[index] = .consumed
                    connection.outboundHead += 1
                    continue
                }
                var position = offset
                let sent = berth_sendfile(connection.fd, fd, &position, Int(min(remaining, 1 << 30)))
                if sent > 0 {
                    connection.bytesSent += Int64(sent)
                    connection.lastWriteProgress = now
                    connection.outbound[index] = .file(fd: fd, offset: position, remaining: remaining - Int64(sent))
                } else if sent == -Int(EAGAIN) {
                    return updateInterest(connection)
                } else {
                    return close(connection)
                }
            case .end:
                connection.outbound[index] = .consumed
                connection.outboundHead += 1
                endResponse(connection)
            case .consumed:
                connection.outboundHead += 1
            }
        }
        if connection.isOpen && !connection.hasPendingOutput {
            connection.outbound.removeAll(keepingCapacity: true)
            connection.outboundHead = 0
            if connection.closeWhenFlushed { return close(connection) }
        }
        updateInterest(connection)
    }

    /// Called when the last byte of a response has been written.
    private func endResponse(_ connection: Connection) {
        connection.responseEnded = true
        if configuration.accessLog != nil || configuration.metrics != nil {
            let duration = berth_monotonic_seconds() - connection.requestStart
            configuration.accessLog?(AccessLogEntry(remoteAddress: connection.remoteAddress, method: connection.method,
                                                    target: connection.target, status: connection.status,
                                                    bytesSent: connection.bytesSent, durationSeconds: duration,
                                                    route: connection.route, bytesReceived: connection.bytesReceived))
            configuration.metrics?.recordHTTP(method: connection.method, route: connection.route,
                                              status: connection.status, durationSeconds: duration,
                                              bytesSent: connection.bytesSent, bytesReceived: connection.bytesReceived)
        }
        if connection.closeAfterResponse || connection.readEOF || shuttingDown {
            connection.closeWhenFlushed = true
            if !connection.hasPendingOutput { close(connection) }
            return
        }
        if !connection.bodyDone {
            connection.readPaused = false
            return
        }
        finishRequest(connection)
    }

    /// Resets the connection for the next request and parses any pipelined one.
    func finishRequest(_ connection: Connection) {
        connection.inFlight = false
        connection.channel = nil
        connection.framing = .none
        connection.bodyDone = true
        connection.idleSince = now
        connection.headStart = now
        parseRequests(connection)
        updateInterest(connection)
    }
}
