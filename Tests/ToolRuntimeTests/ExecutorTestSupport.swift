import Synchronization
import ToolRuntime

/// A thread-safe log of what handlers did, in the order they did it.
final class Timeline: Sendable {
    private let entries = Mutex<[String]>([])

    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
    func contains(_ entry: String) -> Bool { all.contains(entry) }

    /// Waits (briefly, polling) until `entry` is recorded; false when it never is.
    func waitFor(_ entry: String, timeout: Duration = .seconds(2)) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        while clock.now < end {
            if contains(entry) { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return contains(entry)
    }
}

/// A clock whose sleeps end at once by moving its time to their deadline: every timeout fires
/// immediately, whatever its length, and the executor sees the deadline passed.
final class JumpingClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let offset = Mutex(Duration.zero)

    var now: Instant { Instant(offset: offset.withLock { $0 }) }
    var minimumResolution: Duration { .zero }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        offset.withLock { $0 = max($0, deadline.offset) }
    }
}

func call(
    _ index: Int,
    _ name: String,
    _ arguments: String = "{}",
    id: String? = nil
) -> ToolCall {
    let value = try? JSONParser.parse(arguments)
    let status: ToolCall.Status
    do {
        _ = try JSONParser.parse(arguments)
        status = .complete
    } catch {
        status = .malformed(error)
    }
    return ToolCall(
        index: index,
        id: id ?? "call_\(index)",
        name: name,
        arguments: arguments,
        status: status,
        value: value
    )
}

struct Empty: Codable, Sendable {}

struct Echo: ToolArguments {
    static let toolName = "echo"
    static let toolDescription = "Returns its text."
    static let parametersSchemaJSON = #"{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}"#
    static let safety = ToolSafety.readOnly
    var text: String
}

struct OutOfStock: ModelFacingError {
    var modelErrorType: String { "out_of_stock" }
    var modelMessage: String { "Only 3 left; order at most 3." }
}

/// The continuous clock, counting the sleeps started on it (the executor's timeout watchdogs).
final class CountingClock: Clock, Sendable {
    private let base = ContinuousClock()
    private let count = Mutex(0)

    var sleeps: Int { count.withLock { $0 } }
    var now: ContinuousClock.Instant { base.now }
    var minimumResolution: Duration { base.minimumResolution }

    func sleep(until deadline: ContinuousClock.Instant, tolerance: Duration?) async throws {
        count.withLock { $0 += 1 }
        try await base.sleep(until: deadline, tolerance: tolerance)
    }
}
