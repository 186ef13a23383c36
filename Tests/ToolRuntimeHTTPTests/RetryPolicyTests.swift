import Testing

@testable import ToolRuntimeHTTP

struct RetryPolicyTests {
    @Test func backoffDoublesUpToTheCap() {
        let policy = RetryPolicy(initialBackoff: .milliseconds(500), maxBackoff: .seconds(3))
        #expect(
            (0..<5).map(policy.backoff(forRetry:)) == [
                .milliseconds(500), .seconds(1), .seconds(2), .seconds(3), .seconds(3),
            ]
        )
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now: Int64 = 784_111_777  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.parse("120", now: now) == .seconds(120))
        #expect(RetryAfter.parse(" 1.5 ", now: now) == .milliseconds(1500))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:50:07 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:00:00 GMT", now: now) == .seconds(0))
        #expect(RetryAfter.parse("soon", now: now) == nil)
        #expect(RetryAfter.parse("-5", now: now) == nil)
    }

    @Test func imfFixdateMatchesKnownEpochs() {
        #expect(RetryAfter.parseIMFFixdate("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(RetryAfter.parseIMFFixdate("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(RetryAfter.parseIMFFixdate("Tue, 29 Feb 2028 12:00:00 GMT") == 1_835_438_400)
        #expect(RetryAfter.parseIMFFixdate("Sun, 06 Nov 1994 08:49:37 UTC") == nil)
    }

    @Test func configurationRejectsBadBaseURLAndHidesTheKey() throws {
        #expect(throws: ModelHTTPError.self) { try OpenAIChatConfiguration(baseURL: "api.openai.com", model: "m") }
        #expect(throws: ModelHTTPError.self) { try OpenAIChatConfiguration(baseURL: "https://x/v1", model: " ") }
        let configuration = try OpenAIChatConfiguration(
            baseURL: "https://api.example.com/v1/",
            model: "m",
            apiKey: APIKey("sk-secret", source: "$K")
        )
        #expect(configuration.endpoint == "https://api.example.com/v1/chat/completions")
        #expect("\(configuration)".contains("sk-secret") == false)
        #expect(String(describing: configuration.apiKey).contains("sk-secret") == false)
    }
}
