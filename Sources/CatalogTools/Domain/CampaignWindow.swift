public import Foundation

/// A half-open time window `[start, end)` in which a campaign price applies.
public struct CampaignWindow: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// Whether `date` lies in the window.
    public func contains(_ date: Date) -> Bool { start <= date && date < end }

    /// Black Friday weekend 2026 through Cyber Monday, in German time: Fri 27 Nov 00:00 CET up to
    /// Tue 1 Dec 00:00 CET.
    public static let blackFriday2026 = CampaignWindow(
        start: Date(timeIntervalSince1970: 1_795_734_000),  // 2026-11-26T23:00:00Z
        end: Date(timeIntervalSince1970: 1_796_079_600)  // 2026-11-30T23:00:00Z
    )
}
