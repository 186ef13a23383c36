import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One scripted answer of the loopback test server.
struct ScriptedResponse: Sendable {
    enum Part: Sendable {
        case bytes([UInt8])
        case pause(Duration)
    }

    var status: HTTPResponseStatus = .ok
    var headers: [(String, String)] = [("Content-Type", "text/event-stream")]
    var parts: [Part] = []
    /// Close the connection instead of sending the chunked body's final chunk: the body is cut.
    var cutAfterParts = false

    static func sse(_ body: String, chunkSize: Int = .max) -> ScriptedResponse {
        let bytes = Array(body.utf8)
        let parts = stride(from: 0, to: bytes.count, by: min(chunkSize, max(bytes.count, 1))).map {
            Part.bytes(Array(bytes[$0..<min($0 + chunkSize, bytes.count)]))
        }
        return ScriptedResponse(parts: parts)
    }

    static func status(_ status: HTTPResponseStatus, json: String, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(
            status: status,
            headers: [("Content-Type", "application/json")] + headers,
            parts: [.bytes(Array(json.utf8))]
        )
    }
}

struct RecordedRequest: Sendable {
    var method: HTTPMethod
    var uri: String
    var headers: HTTPHeaders
    var body: [UInt8]
}

/// An HTTP/1.1 server on 127.0.0.1 (port chosen by the system) that answers the n-th request with
/// the n-th scripted response (the last one repeats) and records every request.
enum TestSSEServer {
    static func withServer<Result: Sendable>(
        _ responses: [ScriptedResponse],
        _ body: (_ baseURL: String, _ requests: Recorder) async throws -> Result
    ) async throws -> Result {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        guard let port = server.channel.localAddress?.port else { throw TestServerError.noPort }
        let recorder = Recorder()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await withThrowingDiscardingTaskGroup { connections in
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask {
                                try? await serve(connection, responses: responses, recorder: recorder)
                            }
                        }
                    }
                }
            }
            do {
                let result = try await body("http://127.0.0.1:\(port)/v1", recorder)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private static func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        responses: [ScriptedResponse],
        recorder: Recorder
    ) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = []
                case .body(let buffer):
                    body.append(contentsOf: buffer.readableBytesView)
                case .end:
                    guard let head else { return }
                    let number = recorder.record(
                        RecordedRequest(method: head.method, uri: head.uri, headers: head.headers, body: body)
                    )
                    let response = responses[min(number, responses.count - 1)]
                    var headers = HTTPHeaders(response.headers)
                    headers.add(name: "Cache-Control", value: "no-cache")
                    try await outbound.write(
                        .head(HTTPResponseHead(version: .http1_1, status: response.status, headers: headers))
                    )
                    for part in response.parts {
                        switch part {
                        case .bytes(let bytes): try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
                        case .pause(let duration): try await Task.sleep(for: duration)
                        }
                    }
                    // Returning closes the channel before the terminating chunk: a cut body. The
                    // writer only queues the parts; give them time to reach the socket first, or a
                    // loaded machine closes the connection with parts still queued and the client sees
                    // a different (shorter) cut than the test scripted.
                    if response.cutAfterParts {
                        try await Task.sleep(for: .milliseconds(500))
                        return
                    }
                    try await outbound.write(.end(nil))
                }
            }
        }
    }

    final class Recorder: Sendable {
        private let requests = Mutex<[RecordedRequest]>([])

        /// Stores `request` and returns its 0-based number.
        func record(_ request: RecordedRequest) -> Int {
            requests.withLock {
                $0.append(request)
                return $0.count - 1
            }
        }

        var all: [RecordedRequest] { requests.withLock { $0 } }
    }

    enum TestServerError: Error { case noPort }
}
