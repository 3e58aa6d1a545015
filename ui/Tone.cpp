#include "Tone.h"

#include <QPalette>
#include <QWidget>

namespace dcr::ui {

namespace {

struct ToneColours {
    QRgb onLight;  // text (and a badge's background) on a light window
    QRgb onDark;   // text on a dark window
    QRgb barLight; // a bar's background on a light window; its text on a dark one
    QRgb barText;  // a bar's text on a light window; its background on a dark one
};

// The values the console has always used on a light window; lighter ones for a dark window.
ToneColours coloursOf(Tone tone) {
    switch (tone) {
    case Tone::Info:
        return {0x2471a3, 0x5dade2, 0xd6eaf8, 0x1b4f72};
    case Tone::Success:
        return {0x1e8449, 0x58d68d, 0xd5f5e3, 0x145a32};
    case Tone::Warning:
        return {0xd35400, 0xf0883e, 0xfcf3cf, 0x7d6608};
    case Tone::Caution:
        return {0xb9770e, 0xf4d03f, 0xfcf3cf, 0x7d6608};
    case Tone::Error:
        return {0xc0392b, 0xff7b6b, 0xfadbd8, 0x78281f};
    case Tone::Muted:
        return {0x7f8c8d, 0xa6acaf, 0xeaeded, 0x4d5656};
    case Tone::Normal:
        break;
    }
    return {0, 0, 0, 0};
}

void setBold(QWidget* widget, bool bold) {
    QFont font = widget->font();
    if (font.bold() != bold) {
        font.setBold(bold);
        widget->setFont(font);
    }
}

} // namespace

bool isDarkPalette(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor toneColour(Tone tone, const QPalette& palette) {
    if (tone == Tone::Normal)
        return palette.color(QPalette::WindowText);
    const ToneColours c = coloursOf(tone);
    return QColor::fromRgb(isDarkPalette(palette) ? c.onDark : c.onLight);
}

void setTextTone(QWidget* widget, Tone tone, bool bold) {
    // An empty palette with only the text roles set: everything else is still inherited.
    QPalette palette;
    if (tone != Tone::Normal) {
        const QColor colour = toneColour(tone, widget->palette());
        palette.setColor(QPalette::WindowText, colour);
        palette.setColor(QPalette::Text, colour);
    }
    widget->setPalette(palette);
    setBold(widget, bold);
}

void setBarTone(QWidget* widget, Tone tone) {
    QPalette palette;
    if (tone != Tone::Normal) {
        const ToneColours c = coloursOf(tone);
        QWidget* parent = widget->parentWidget();
        const bool dark = isDarkPalette(parent ? parent->palette() : widget->palette());
        const QColor background = QColor::fromRgb(dark ? c.barText : c.barLight);
        const QColor text = QColor::fromRgb(dark ? c.barLight : c.barText);
        palette.setColor(QPalette::Window, background);
        palette.setColor(QPalette::WindowText, text);
        palette.setColor(QPalette::ButtonText, text);
    }
    widget->setAutoFillBackground(tone != Tone::Normal);
    widget->setPalette(palette);
}

void setBadgeTone(QWidget* widget, Tone tone) {
    QPalette palette;
    palette.setColor(QPalette::Window, QColor::fromRgb(coloursOf(tone).onLight));
    palette.setColor(QPalette::WindowText, Qt::white);
    widget->setAutoFillBackground(true);
    widget->setPalette(palette);
    setBold(widget, true);
}

} // namespace dcr::ui
