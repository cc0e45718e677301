import BerthCore

/// Runs a handler for one request in its own task and hands the response to the connection's loop.
enum RequestRunner {
    private static let failure = HTTPResponse(status: 500, headers: HTTPHeaders([("Content-Type", "text/plain")]),
                                              body: .bytes(Array("internal server error\n".utf8)))

    static func run(head: ParsedHead, body: HTTPRequestBody, channel: BodyChannel?, connection: Connection,
                    context: ServerContext) async {
        let recorder = connection.routeRecorder
        recorder.pattern = nil
        var request = HTTPRequest(method: HTTPMethod(rawValue: head.method), target: head.target,
                                  headers: HTTPHeaders(fields: head.headers), body: body,
                                  remoteAddress: connection.remoteAddress, isHTTP10: head.isHTTP10,
                                  routeRecorder: recorder)
        request.isSecure = context.tls != nil
        var response: HTTPResponse
        do {
            response = try await context.handler(request)
        } catch {
            response = failure
        }
        var close = !head.keepAlive || context.isShuttingDown
        if let channel {
            let outcome = channel.abandon()
            if !outcome.finished {
                if outcome.continuePending {
                    close = true
                } else if let length = head.contentLength, length > Int64(context.configuration.maxDrainBytes) {
                    close = true
                }
            }
        }
        let prepared = ResponseEncoder.prepare(response, for: head, close: &close)
        let loop = connection.loop
        guard let stream = prepared.stream else {
            loop.submit(.respond(connection, bytes: prepared.bytes, file: prepared.file, ends: true,
                                 close: close, status: prepared.status, route: recorder.pattern))
            return
        }
        loop.submit(.respond(connection, bytes: prepared.bytes, file: nil, ends: false, close: close,
                             status: prepared.status, route: recorder.pattern))
        await send(stream, length: prepared.streamLength, chunked: prepared.chunked, on: connection)
    }

    /// Pumps a response stream to the loop, one chunk at a time (each waits until written).
    private static func send(_ stream: ByteStream, length: Int64?, chunked: Bool, on connection: Connection) async {
        let loop = connection.loop
        var total: Int64 = 0
        do {
            for try await chunk in stream where !chunk.isEmpty {
                total += Int64(chunk.count)
                if let length, total > length { throw HTTPServerError.malformedBody }
                let bytes = chunked ? ResponseEncoder.frame(chunk) : chunk
                try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
                    loop.submit(.write(connection, bytes, done: done))
                }
            }
            if let length, total != length { throw HTTPServerError.malformedBody }
            if chunked { loop.submit(.write(connection, ResponseEncoder.lastChunk, done: nil)) }
            loop.submit(.end(connection))
        } catch {
            loop.submit(.abort(connection))
        }
    }
}
