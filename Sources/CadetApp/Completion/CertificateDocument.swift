import CadetCore
import Foundation

/// The printed certificate (수료증): one A4 landscape page in Korean and English with the
/// holder, the programme, its dates and hours, the signatories, the serial and a QR code to the
/// public verify page. Drawn with cairo and pango (fonts-noto-cjk embedded).
struct CertificateDocument: Sendable {
    let serial: String
    let holderName: String
    let programme: String
    let cohort: String
    let firstDay: CalendarDate
    let lastDay: CalendarDate
    let hours: Int
    let issuedOn: CalendarDate
    let signatories: [String]
    /// Awards the holder received in the cohort, one line each ("Best trainee (2021-01-06)").
    let awards: [String]
    let verifyURL: String

    func pdf(catalogue: Catalogue = .shared) -> Data {
        let ko = Localizer(locale: .korean, timeZone: .current, catalogue: catalogue)
        let en = Localizer(locale: .english, timeZone: .current, catalogue: catalogue)
        let arguments = ["name": holderName, "programme": programme, "cohort": cohort, "hours": String(hours),
                         "first": firstDay.iso, "last": lastDay.iso]
        let canvas = PDFCanvas(title: "\(ko("certificate.title")) \(serial)")
        let width = canvas.pageWidth, margin = 72.0, column = width - 2 * margin
        canvas.frame(inset: 24, lineWidth: 2.5, gray: 0.25)
        canvas.frame(inset: 30, lineWidth: 0.75, gray: 0.45)
        canvas.text("\(ko("certificate.serial")) \(serial)", x: margin, y: 48, width: column, font: "NanumMyeongjo 9", align: .right, gray: 0.35)
        var y = 78.0
        y += canvas.text(ko("certificate.title"), x: margin, y: y, width: column, font: "NanumMyeongjo Bold 40", align: .center)
        y += canvas.text(en("certificate.title"), x: margin, y: y, width: column, font: "NanumMyeongjo 16", align: .center, gray: 0.3) + 26
        y += canvas.text(holderName, x: margin, y: y, width: column, font: "NanumMyeongjo Bold 30", align: .center) + 18
        y += canvas.text(ko("certificate.body", arguments), x: margin + 40, y: y, width: column - 80, font: "NanumMyeongjo 14", align: .center) + 8
        y += canvas.text(en("certificate.body", arguments), x: margin + 40, y: y, width: column - 80, font: "NanumMyeongjo 11", align: .center, gray: 0.3) + 20
        if !awards.isEmpty {
            y += canvas.text("\(ko("certificate.awards")) · \(en("certificate.awards")): " + awards.joined(separator: ", "), x: margin + 40, y: y, width: column - 80,
                             font: "NanumMyeongjo Bold 11", align: .center) + 12
        }
        let issued = ["year": String(issuedOn.year), "month": String(issuedOn.month), "day": String(issuedOn.day), "date": issuedOn.iso]
        canvas.text("\(ko("certificate.issued_on", issued))  ·  \(en("certificate.issued_on", issued))", x: margin, y: y, width: column,
                    font: "NanumMyeongjo 11", align: .center)
        // Signatories side by side along the bottom, leaving the right corner to the QR code.
        let signing = Array(signatories.prefix(3))
        let slot = (column - 130) / Double(max(signing.count, 1))
        for (index, signatory) in signing.enumerated() {
            canvas.text(signatory, x: margin + Double(index) * slot, y: 470, width: slot - 10, font: "NanumMyeongjo Bold 13", align: .center)
        }
        if let code = QRCode(verifyURL) {
            canvas.qr(code, x: width - margin - 96, y: 420, size: 96)
        }
        canvas.text(en("certificate.verify_hint", ["url": verifyURL]), x: margin, y: 530, width: column, font: "NanumMyeongjo 8", align: .right, gray: 0.35)
        return canvas.finish()
    }
}
