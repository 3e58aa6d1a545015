#pragma once

#include "session/PassphraseSource.h"

#include <QPointer>
#include <QWidget>

namespace dcr::ui {

// Asks for passphrases in a dialog over the window; kept in memory by nobody but the key it
// opens. In automation (--send, --screenshot) it never shows a dialog: it answers "cancelled",
// so a script fails with a clear error instead of waiting for a click.
class PassphraseDialog : public PassphraseSource {
public:
    void setParentWidget(QWidget* parent) { m_parent = parent; }
    void setAutomation(bool automation) { m_automation = automation; }
    std::optional<QByteArray> passphrase(const PassphrasePrompt& prompt) override;
    // The text over the PIN field: the token's tries warning first, then what the PIN is for.
    static QString tokenPinLabel(const PassphrasePrompt& prompt);

private:
    QPointer<QWidget> m_parent;
    bool m_automation = false;
};

} // namespace dcr::ui
