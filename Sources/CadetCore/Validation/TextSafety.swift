/// Characters that have no business in text people type.
public enum TextSafety {
    /// True when the text holds a C0 control character other than tab, line feed and carriage
    /// return (NUL above all), or DEL.
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F
        }
    }
}
