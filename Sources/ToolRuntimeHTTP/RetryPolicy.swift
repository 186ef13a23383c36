/// When and how long to wait before trying a request again.
///
/// Retries happen only before the first byte of a successful response: a 429 or a 5xx status
/// (502, 503, 504, 500, …) means the server did not start answering, so sending the same request
/// again cannot duplicate output. A response that broke mid-stream is never retried here; the
/// caller decides (its calls are unfinished and are not executed).
///
/// ```swift
/// var retry = RetryPolicy()
/// retry.maxRetries = 5
/// retry.sleep = { _ in }   // tests: no real waiting
/// ```
public struct RetryPolicy: Sendable {
    /// Retries after the first attempt; `0` turns retrying off.
    public var maxRetries: Int
    /// The wait before the first 5xx retry; doubled for each further one.
    public var initialBackoff: Duration
    /// The cap for the doubled wait.
    public var maxBackoff: Duration
    /// The longest `Retry-After` the client will honour; a longer one fails at once with the
    /// server's wait in the message, rather than hanging a user's request for minutes.
    public var maxRetryAfter: Duration
    /// Waits for a duration; injected so tests run without real sleeping. Throws on cancellation.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxRetries: Int = 3,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(60),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.maxRetryAfter = maxRetryAfter
        self.sleep = sleep
    }

    /// The exponential wait before retry number `retry` (0-based): initial × 2^retry, capped.
    public func backoff(forRetry retry: Int) -> Duration {
        var wait = initialBackoff
        for _ in 0..<max(0, retry) {
            wait *= 2
            if wait >= maxBackoff { return maxBackoff }
        }
        return min(wait, maxBackoff)
    }
}

/// The `Retry-After` header value (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
enum RetryAfter {
    /// The wait the header asks for, or `nil` when it is absent or unreadable.
    /// - Parameter now: seconds since 1970 (injected so the HTTP-date form is testable).
    static func parse(_ value: String, now: Int64) -> Duration? {
        let text = value.trimmingWhitespace()
        if let seconds = Int64(text), seconds >= 0 { return .seconds(seconds) }
        // Some servers send fractional seconds ("1.5"); accept them rather than ignoring the hint.
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        guard let date = parseIMFFixdate(text) else { return nil }
        return .seconds(max(0, date - now))
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT` → seconds since 1970.
    static func parseIMFFixdate(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int64(parts[1]), let year = Int64(parts[3]) else {
            return nil
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int64(clock[0]), let minute = Int64(clock[1]),
            let second = Int64(clock[2]), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysFromCivil(year: year, month: Int64(monthIndex) + 1, day: day)
        return days * 86_400 + hour * 3_600 + minute * 60 + second
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
