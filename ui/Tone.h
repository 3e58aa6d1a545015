#pragma once

#include <QColor>

class QPalette;
class QWidget;

namespace dcr::ui {

// What a coloured text, bar or badge says. The console's one table of status colours: every tone
// has a variant for a light and one for a dark window colour, picked from the palette in use, and
// it is applied through the widget's QPalette (no style sheets), so a dark desktop theme keeps the
// text readable and the colours live in one place.
enum class Tone { Normal, Info, Success, Warning, Caution, Error, Muted };

// Whether the palette's window colour is dark (a dark desktop theme).
bool isDarkPalette(const QPalette& palette);
// A tone's text colour on the palette's window (Normal: the palette's own text colour).
QColor toneColour(Tone tone, const QPalette& palette);
// A label's (or any widget's) text in a tone, optionally bold; Normal returns it to the text
// colour and weight it inherits.
void setTextTone(QWidget* widget, Tone tone, bool bold = false);
// A message bar: a pale background of the tone with dark text (dark theme: the other way round).
void setBarTone(QWidget* widget, Tone tone);
// A badge: the tone itself as the background, white bold text.
void setBadgeTone(QWidget* widget, Tone tone);

} // namespace dcr::ui
