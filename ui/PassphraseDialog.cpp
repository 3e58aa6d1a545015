#include "PassphraseDialog.h"

#include <QInputDialog>
#include <QLineEdit>

namespace dcr::ui {

std::optional<QByteArray> PassphraseDialog::passphrase(const PassphrasePrompt& prompt) {
    if (m_automation)
        return std::nullopt;
    bool ok = false;
    if (prompt.tokenPin) {
        const QString label =
            (prompt.retry ? QObject::tr("The token refused the PIN. ") : QString()) +
            QObject::tr("PIN for %1 (kept in memory for this session only):").arg(prompt.what);
        const QString pin = QInputDialog::getText(m_parent, QObject::tr("Token PIN"), label,
                                                  QLineEdit::Password, {}, &ok);
        return ok ? std::optional<QByteArray>(pin.toUtf8()) : std::nullopt;
    }
    const QString label =
        prompt.retry
            ? QObject::tr("Wrong passphrase. Passphrase for %1 (kept in memory for this session "
                          "only):")
                  .arg(prompt.what)
            : QObject::tr("Passphrase for %1 (kept in memory for this session only):")
                  .arg(prompt.what);
    const QString text = QInputDialog::getText(m_parent, QObject::tr("Passphrase"), label,
                                               QLineEdit::Password, {}, &ok);
    if (!ok)
        return std::nullopt;
    return text.toUtf8();
}

} // namespace dcr::ui
