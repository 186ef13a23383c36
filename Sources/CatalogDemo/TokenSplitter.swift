/// Cuts text into pieces the size of model tokens: words with their leading space, short runs of
/// digits, one or a few punctuation characters, long words in 2–6 character parts. Argument JSON
/// cut this way splits keys, strings, numbers and escapes at arbitrary places, as real streams do.
enum TokenSplitter {
    static func split(_ text: String, using random: inout SeededRandom) -> [String] {
        var tokens: [String] = []
        var current = ""
        var currentClass: CharacterClass?
        var limit = 4
        for character in text {
            let characterClass = CharacterClass(character)
            let continues =
                currentClass == characterClass && current.count < limit
                || (characterClass == .letter && currentClass == .space && current.count == 1)
            if !continues, !current.isEmpty {
                tokens.append(current)
                current = ""
                limit = characterClass == .letter ? Int.random(in: 2...6, using: &random) : Int.random(in: 1...3, using: &random)
            }
            current.append(character)
            currentClass = characterClass
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private enum CharacterClass: Equatable {
        case letter, digit, space, punctuation

        init(_ character: Character) {
            if character.isLetter {
                self = .letter
            } else if character.isNumber {
                self = .digit
            } else if character == " " {
                self = .space
            } else {
                self = .punctuation
            }
        }
    }
}
