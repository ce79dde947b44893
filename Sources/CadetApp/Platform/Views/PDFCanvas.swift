import CPangoCairo
import Foundation

/// PDFs drawn with cairo and laid out with pango, so Korean text gets real shaping and
/// the fonts are embedded as subsets (certificates use Debian's fonts-nanum: TrueType outlines
/// subset several times faster than the Noto CJK collection's CFF). Coordinates are PostScript points
/// from the top left. Each canvas is used by one thread; separate canvases run in parallel.
final class PDFCanvas {
    enum Align { case left, center, right }

    private let surface: OpaquePointer
    private let context: OpaquePointer
    private let sink: Sink
    let pageWidth: Double
    let pageHeight: Double

    /// Collects what cairo writes; cairo calls back with each chunk of the PDF.
    private final class Sink { var data = Data() }

    /// A4 landscape unless told otherwise.
    init(width: Double = 841.89, height: Double = 595.28, title: String? = nil) {
        sink = Sink()
        pageWidth = width
        pageHeight = height
        let write: cairo_write_func_t = { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }
        surface = cairo_pdf_surface_create_for_stream(write, Unmanaged.passUnretained(sink).toOpaque(), width, height)
        context = cairo_create(surface)
        if let title { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Cadet")
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    /// Lays out `text` in a box `width` wide with its top at `y`; returns the height it took.
    /// `font` is a pango description such as "NanumMyeongjo Bold 28".
    @discardableResult
    func text(_ text: String, x: Double, y: Double, width: Double, font: String, align: Align = .left, gray: Double = 0) -> Double {
        guard let layout = pango_cairo_create_layout(context) else { return 0 }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        let description = pango_font_description_from_string(font)
        defer { pango_font_description_free(description) }
        pango_layout_set_font_description(layout, description)
        pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        let alignment: PangoAlignment = switch align { case .left: PANGO_ALIGN_LEFT; case .center: PANGO_ALIGN_CENTER; case .right: PANGO_ALIGN_RIGHT }
        pango_layout_set_alignment(layout, alignment)
        pango_layout_set_text(layout, text, -1)
        cairo_set_source_rgb(context, gray, gray, gray)
        cairo_move_to(context, x, y)
        pango_cairo_show_layout(context, layout)
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Double(logical.height) / Double(PANGO_SCALE)
    }

    /// A rectangle's outline, `inset` points in from the page's edges.
    func frame(inset: Double, lineWidth: Double, gray: Double = 0) {
        cairo_set_source_rgb(context, gray, gray, gray)
        cairo_set_line_width(context, lineWidth)
        cairo_rectangle(context, inset, inset, pageWidth - 2 * inset, pageHeight - 2 * inset)
        cairo_stroke(context)
    }

    /// A QR code as vector squares (sharp at any zoom), `size` points wide without its quiet zone.
    func qr(_ code: QRCode, x: Double, y: Double, size: Double) {
        let module = size / Double(code.width)
        cairo_set_source_rgb(context, 0, 0, 0)
        for (row, modules) in code.modules.enumerated() {
            for (column, dark) in modules.enumerated() where dark {
                cairo_rectangle(context, x + Double(column) * module, y + Double(row) * module, module, module)
            }
        }
        cairo_fill(context)
    }

    /// A filled rectangle (chart bars, table rules).
    func box(x: Double, y: Double, width: Double, height: Double, gray: Double) {
        cairo_set_source_rgb(context, gray, gray, gray)
        cairo_rectangle(context, x, y, width, height)
        cairo_fill(context)
    }

    /// Ends this page; what is drawn next goes on a new one.
    func newPage() {
        cairo_show_page(context)
    }

    /// Finishes the page and returns the PDF's bytes.
    func finish() -> Data {
        cairo_show_page(context)
        cairo_surface_finish(surface)
        return sink.data
    }
}
