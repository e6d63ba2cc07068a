//! QR codes as inline SVG, made at build time, so printed sheets link back to their online page without any
//! network access.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG QR code for `url`, sized by the stylesheet (no fixed width or height).
pub fn svg(url: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let image = code
        .render::<svg::Color>()
        .quiet_zone(true)
        .min_dimensions(96, 96)
        .build();
    let image = image
        .split_once("?>")
        .map(|(_, rest)| rest.trim_start())
        .unwrap_or(&image)
        .to_string();
    image.replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"QR code\" class=\"qr\" ",
        1,
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn makes_an_inline_svg() {
        let s = super::svg("https://example.org/lessons/lesson-01/");
        assert!(s.starts_with("<svg role=\"img\""), "{}", &s[..60]);
        assert!(s.contains("<path"));
    }
}
