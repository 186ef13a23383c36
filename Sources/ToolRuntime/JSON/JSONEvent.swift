/// A structural event of the incremental JSON parser, in document order.
///
/// Every value announces its kind at its first byte (`objectStart`, `arrayStart`, `stringStart`,
/// `numberStart`, `literalStart`), so a consumer such as the streaming schema validator can reject
/// a value of the wrong type before the value is finished. Strings arrive as decoded fragments
/// (never splitting a Unicode scalar), so a length limit or an enum prefix can be checked while
/// the string is still open.
public enum JSONEvent: Sendable, Hashable {
    case objectStart
    /// An object member's key, complete.
    case key(String)
    case objectEnd
    case arrayStart
    case arrayEnd
    case stringStart
    /// Decoded text appended to the open string since the previous fragment (whole scalars only).
    case stringFragment(String)
    /// The open string closed; `value` is its whole text.
    case stringEnd(String)
    case numberStart
    /// A number, complete (it closes at the first byte that is not part of it, or at end of input).
    case number(JSONNumber)
    /// The first byte of `true`, `false` or `null` fixed which literal this is.
    case literalStart(JSONValue)
    /// The literal is complete.
    case literal(JSONValue)
}
