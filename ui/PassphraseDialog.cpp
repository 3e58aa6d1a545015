#include "PassphraseDialog.h"

#include <QInputDialog>
#include <QLineEdit>

namespace dcr::ui {

QString PassphraseDialog::tokenPinLabel(const PassphrasePrompt& prompt) {
    // The token's count of wrong PINs comes first: it is what decides whether typing on is safe.
    QString label;
    if (prompt.tokenWarning == PassphrasePrompt::TokenWarning::FinalTry)
        label += QObject::tr("WARNING: the token locks after one more wrong PIN; only its "
                             "security officer can unlock it. Cancel if you are not sure of the "
                             "PIN.\n");
    else if (prompt.tokenWarning == PassphrasePrompt::TokenWarning::CountLow)
        label += QObject::tr("Careful: a wrong PIN was entered recently; the token locks after "
                             "too many wrong PINs.\n");
    if (prompt.retry)
        label += QObject::tr("The token refused the PIN. ");
    return label +
           QObject::tr("PIN for %1 (kept in memory for this session only):").arg(prompt.what);
}

std::optional<QByteArray> PassphraseDialog::passphrase(const PassphrasePrompt& prompt) {
    if (m_automation)
        return std::nullopt;
    bool ok = false;
    if (prompt.tokenPin) {
        const QString label = tokenPinLabel(prompt);
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
