/// Plausible, synthetic Korean names: a common surname and two given-name syllables.
/// The combinations are generated, so no real person is meant.
enum KoreanNames {
    static let surnames: [(String, String)] = [
        ("김", "Kim"), ("이", "Lee"), ("박", "Park"), ("최", "Choi"), ("정", "Jung"), ("강", "Kang"),
        ("조", "Cho"), ("윤", "Yoon"), ("장", "Jang"), ("임", "Lim"), ("한", "Han"), ("오", "Oh"),
        ("서", "Seo"), ("신", "Shin"), ("권", "Kwon"), ("황", "Hwang"), ("안", "Ahn"), ("송", "Song"),
        ("전", "Jeon"), ("홍", "Hong"), ("문", "Moon"), ("양", "Yang"), ("고", "Ko"), ("배", "Bae"),
    ]
    /// Relative frequencies: Kim, Lee and Park name almost half of Korea.
    static let surnameWeights = [21, 15, 8, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]

    static let syllables: [(String, String)] = [
        ("민", "min"), ("서", "seo"), ("지", "ji"), ("현", "hyeon"), ("준", "jun"), ("우", "woo"),
        ("연", "yeon"), ("수", "su"), ("하", "ha"), ("은", "eun"), ("영", "young"), ("재", "jae"),
        ("도", "do"), ("윤", "yun"), ("진", "jin"), ("호", "ho"), ("예", "ye"), ("성", "seong"),
        ("주", "ju"), ("아", "a"), ("원", "won"), ("혜", "hye"), ("태", "tae"), ("유", "yu"),
        ("승", "seung"), ("채", "chae"), ("다", "da"), ("건", "geon"), ("소", "so"), ("희", "hui"),
    ]

    struct Name {
        let korean: String
        let romanised: String
    }

    static func make<G: RandomNumberGenerator>(using generator: inout G) -> Name {
        let total = surnameWeights.reduce(0, +)
        var pick = Int.random(in: 0..<total, using: &generator)
        var index = 0
        while pick >= surnameWeights[index] {
            pick -= surnameWeights[index]
            index += 1
        }
        let surname = surnames[index]
        let first = syllables.randomElement(using: &generator)!
        var second = syllables.randomElement(using: &generator)!
        while second.0 == first.0 { second = syllables.randomElement(using: &generator)! }
        return Name(korean: surname.0 + first.0 + second.0, romanised: "\(first.1)\(second.1) \(surname.1)")
    }
}
