#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace dcr {

// Finds the values of secret fields (client_secret, registration_access_token, access_token,
// refresh_token, id_token; any case) in text that parsing cannot take apart: JSON with bytes
// after it, a form body, a body cut at the size limit, an HTML page, a bank's error text, the
// strings inside a parsed JSON body. Every `name=value`, `"name": "value"`, `'name': 'value'` and
// `name: value` occurrence has its value replaced. Where a secret may be there but cannot be
// located, the scan is "unsure" and the caller withholds the whole text: a body that ends inside
// a secret's key or value, a secret name followed by prose or markup instead of a value, a name
// written with escapes (\u005f, %5F, &#95;), or a base64 / base64url segment (padded or not,
// wrapped or not, at any alignment) that decodes to text naming a secret with a value.
class SecretScanner {
public:
    enum class Mode {
        Mask,   // a value becomes the mask; its quotes stay
        Forget, // a value, with its quotes, becomes null
    };
    enum class Input {
        Body,     // a whole body as received: it may have been cut anywhere, even mid-value
        Complete, // a string known to be whole (a parsed JSON value, a bank's message): a secret
                  // name in prose, with no `=` or `:` after it, is only a word
    };
    struct Result {
        QByteArray text;     // the input with every located secret value replaced
        int secrets = 0;     // values replaced
        bool unsure = false; // a secret may be there that could not be located: withhold text
        bool clean() const { return secrets == 0 && !unsure; }
    };

    static Result scan(const QByteArray& text, Mode mode = Mode::Mask, Input input = Input::Body);
    // Bank-provided text as it may be shown: masked, or the withheld notice when unsure.
    static QString maskText(const QString& text, Input input = Input::Complete);

    // The secret field names, lower case: the one list behind isSecretField and every scan.
    static const QList<QByteArray>& secretNames();
    static bool isSecretName(QByteArrayView name); // any case
    // What replaces a secret value in every masked view.
    static const QByteArray& mask();
    // What replaces a body (or text) whose secrets could not be located, in every view, report
    // and export, unless secrets are revealed.
    static const QByteArray& withheldNotice();
};

} // namespace dcr
