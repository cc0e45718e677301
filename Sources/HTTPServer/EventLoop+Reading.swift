import BerthCore
internal import CLinuxShim
import Glibc

extension EventLoop {
    /// Whether the loop should read the socket now (false applies backpressure).
    func wantsRead(_ connection: Connection) -> Bool {
        if connection.closeWhenFlushed || connection.readEOF { return false }
        if !connection.inFlight { return true }
        if !connection.bodyDone { return !connection.readPaused }
        return connection.inbound.count - connection.inboundStart < configuration.maxHeadBytes
    }

    /// Reads what the socket has (a few rounds at most) and processes it.
    func readAvailable(_ connection: Connection) {
        if let tls = connection.tls { return readAvailableTLS(connection, tls) }
        var rounds = 0
        while connection.isOpen && wantsRead(connection) && rounds < 4 {
            rounds += 1
            let count = berth_read(connection.fd, readBuffer.baseAddress, readBuffer.count)
            if count > 0 {
                let bytes = UnsafeBufferPointer(start: readBuffer.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                                count: count)
                received(connection, bytes)
                if count < readBuffer.count { break }
            } else if count == 0 {
                receivedEOF(connection)
                break
            } else if count == -Int(EAGAIN) {
                break
            } else {
                close(connection)
                return
            }
        }
        updateInterest(connection)
    }

    func received(_ connection: Connection, _ bytes: UnsafeBufferPointer<UInt8>) {
        if connection.inFlight && !connection.bodyDone {
            let used = feedBody(connection, bytes)
            if used < bytes.count && connection.isOpen {
                connection.inbound.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[used...]))
            }
            if connection.isOpen && connection.bodyDone && connection.responseEnded { finishRequest(connection) }
            return
        }
        if !connection.inFlight && !connection.hasBufferedInput { connection.headStart = now }
        connection.inbound.append(contentsOf: bytes)
        if !connection.inFlight { parseRequests(connection) }
    }

    func receivedEOF(_ connection: Connection) {
        connection.readEOF = true
        if !connection.inFlight {
            if connection.hasPendingOutput { connection.closeWhenFlushed = true } else { close(connection) }
        } else if !connection.bodyDone {
            close(connection)
        }
    }

    /// Decodes body bytes and hands them to the handler; returns how many bytes belonged to the body.
    private func feedBody(_ connection: Connection, _ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        connection.lastBodyProgress = now
        var data: [UInt8] = []
        var used = 0
        defer { connection.bytesReceived += Int64(min(used, bytes.count)) }
        var done = false
        switch connection.framing {
        case .none:
            done = true
        case .length(let remaining):
            used = Int(min(Int64(bytes.count), remaining))
            data = Array(UnsafeBufferPointer(rebasing: bytes[..<used]))
            connection.framing = .length(remaining - Int64(used))
            done = remaining == Int64(used)
        case .chunked(var decoder):
            do {
                used = try decoder.decode(bytes, into: &data)
            } catch {
                connection.channel?.fail(.malformedBody)
                connection.bodyDone = true
                connection.closeAfterResponse = true
                connection.readEOF = true
                if connection.responseEnded { close(connection) }
                return bytes.count
            }
            connection.framing = .chunked(decoder)
            done = decoder.isDone
        }
        if !data.isEmpty {
            if connection.responseEnded || connection.channel == nil {
                connection.drainedBytes += data.count
                if connection.drainedBytes > configuration.maxDrainBytes { close(connection); return bytes.count }
            } else if connection.channel?.push(data) == false {
                connection.readPaused = true
            }
        }
        if done {
            connection.bodyDone = true
            connection.channel?.finish()
        }
        return used
    }

    /// Parses and starts requests from buffered input while no request is in flight.
    func parseRequests(_ connection: Connection) {
        while connection.isOpen && !connection.inFlight && !connection.closeWhenFlushed {
            guard connection.hasBufferedInput else {
                connection.inbound.removeAll(keepingCapacity: true)
                connection.inboundStart = 0
                return
            }
            let start = connection.inboundStart
            let result = connection.inbound.withUnsafeBufferPointer { all in
                connection.parser.parse(UnsafeBufferPointer(rebasing: all[start...]))
            }
            switch result {
            case .needMore:
                if start > 0 {
                    connection.inbound.removeFirst(start)
                    connection.inboundStart = 0
                }
                return
            case .failure(let status):
                let response = StatusReason.closingResponse(status)
                let received = Int64(connection.inbound.count - start)
                configuration.accessLog?(AccessLogEntry(remoteAddress: connection.remoteAddress, method: "-",
                                                        target: "-", status: status, bytesSent: Int64(response.count),
                                                        durationSeconds: now - connection.headStart,
                                                        bytesReceived: received))
                configuration.metrics?.recordHTTP(method: "-", route: nil, status: status,
                                                  durationSeconds: now - connection.headStart,
                                                  bytesSent: Int64(response.count), bytesReceived: received)
                connection.closeWhenFlushed = true
                connection.outbound.append(.bytes(response, offset: 0, done: nil))
                connection.lastWriteProgress = now
                flush(connection)
                return
            case .complete(let head, let consumed):
                connection.inboundStart += consumed
                connection.parser.reset()
                connection.bytesReceived = Int64(consumed)
                startRequest(connection, head)
            }
        }
    }

    private func startRequest(_ connection: Connection, _ head: ParsedHead) {
        connection.inFlight = true
        connection.responseStarted = false
        connection.responseEnded = false
        connection.closeAfterResponse = false
        connection.continueSent = false
        connection.readPaused = false
        connection.drainedBytes = 0
        connection.status = 0
        connection.bytesSent = 0
        connection.route = nil
        connection.method = head.method
        connection.target = head.target
        connection.requestStart = now
        connection.expectContinue = head.expectContinue
        let body: HTTPRequestBody
        var channel: BodyChannel?
        if head.chunked {
            connection.framing = .chunked(ChunkedDecoder())
        } else if let length = head.contentLength, length > 0 {
            connection.framing = .length(length)
        } else {
            connection.framing = .none
        }
        if case .none = connection.framing {
            connection.bodyDone = true
            body = .empty
        } else {
            connection.bodyDone = false
            connection.lastBodyProgress = now
            let made = BodyChannel(highWater: configuration.bodyHighWaterBytes, expectContinue: head.expectContinue) {
                [self, connection] signal in
                submit(signal == .sendContinue ? .sendContinue(connection) : .resumeReading(connection))
            }
            channel = made
            body = HTTPRequestBody(storage: .channel(made), contentLength: head.contentLength, isChunked: head.chunked)
        }
        connection.channel = channel
        let context = self.context
        Task {
            await RequestRunner.run(head: head, body: body, channel: channel, connection: connection, context: context)
        }
        if !connection.bodyDone && connection.hasBufferedInput {
            let pending = Array(connection.inbound[connection.inboundStart...])
            let used = pending.withUnsafeBufferPointer { feedBody(connection, $0) }
            connection.inboundStart += used
        }
    }
}
