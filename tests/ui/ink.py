"""Where a widget's text ink lies: render it, crop to the ink, compare with text drawn by Qt's
own text layout in a known direction. How the right-to-left tests tell a phone painted in
order from one painted reversed without trusting the code that painted it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QPixmap, QTextLayout, QTextOption

INK = 160  # gray level below which a pixel is ink (text is dark on a light background)


def gray(picture: QPixmap | QImage) -> QImage:
    image = picture.toImage() if isinstance(picture, QPixmap) else picture
    return image.convertToFormat(QImage.Format.Format_Grayscale8)


def ink_box(image: QImage, within: QRect | None = None) -> QRect:
    """The smallest rectangle holding every ink pixel of `image` (inside `within`)."""
    area = within or image.rect()
    xs: list[int] = []
    ys: list[int] = []
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            if image.pixelColor(x, y).value() < INK:
                xs.append(x)
                ys.append(y)
    assert xs, "no ink: nothing was painted"
    return QRect(min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1)


def ink(picture: QPixmap | QImage, within: QRect | None = None) -> QImage:
    """The ink of `picture` (inside `within`), cropped, in gray."""
    image = gray(picture)
    return image.copy(ink_box(image, within))


def drawn(text: str, font: QFont, direction: Qt.LayoutDirection) -> QImage:
    """`text` laid out by QTextLayout in `direction` (no alignment games), its ink cropped."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setTextDirection(direction)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(2000)
    layout.endLayout()
    image = QImage(2100, int(line.height()) + 20, QImage.Format.Format_Grayscale8)
    image.fill(255)
    painter = QPainter(image)
    painter.setPen(Qt.GlobalColor.black)
    layout.draw(painter, QPointF(10, 10))
    painter.end()
    return ink(image)


SHRINK = 3  # compared at a third of the size: subpixel placement blurs away, order does not


def difference(a: QImage, b: QImage) -> float:
    """Mean gray difference of two ink crops laid over each other from their top left, shrunk
    (a glyph placed a fraction of a pixel apart costs little; text reordered costs a lot)."""
    width, height = max(a.width(), b.width()) // SHRINK, max(a.height(), b.height()) // SHRINK
    a, b = (
        i.scaled(
            i.width() // SHRINK,
            i.height() // SHRINK,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        for i in (a, b)
    )
    total = 0
    for y in range(height):
        for x in range(width):
            pa = a.pixelColor(x, y).value() if x < a.width() and y < a.height() else 255
            pb = b.pixelColor(x, y).value() if x < b.width() and y < b.height() else 255
            total += abs(pa - pb)
    return total / (width * height)


def looks_like(actual: QImage, expected: QImage, wrong: QImage) -> bool:
    """`actual` is much nearer `expected` than `wrong` (which must itself differ clearly)."""
    apart = difference(expected, wrong)
    assert apart > 10, f"the right and the wrong rendering look alike ({apart:.1f})"
    return difference(actual, expected) * 3 < difference(actual, wrong)


def large_font() -> QFont:
    """A font big enough that a glyph's subpixel placement is small beside its shape."""
    font = QFont()
    font.setPixelSize(30)
    return font
