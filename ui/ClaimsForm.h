#pragma once

#include "registration/Preflight.h"
#include "registration/RegistrationRequest.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;

namespace dcr::ui {

// Every claim of the registration request with a fitting widget. It shows a RegistrationRequest
// and reports edits; it does not sign or validate (preflight does).
class ClaimsForm : public QWidget {
    Q_OBJECT
public:
    explicit ClaimsForm(QWidget* parent = nullptr);

    void setRequest(const RegistrationRequest& request);
    RegistrationRequest request() const { return m_request; }
    void setReadOnly(bool readOnly);
    // A JSON body (RFC 7591) leaves out iss, aud, iat, exp and jti: their widgets are disabled
    // and say so. Their values are kept in the request (a switch back to jwt has them).
    void setBodyFormat(RequestBodyFormat format);
    void setLifetime(int seconds);
    // "iat 2020-11-25T09:50:53Z  ·  exp …  (lifetime 316 s)": how a received request's times read.
    static QString describeTimes(const RegistrationRequest& request);
    void setSupportedValues(const SupportedValues& supported);
    void setSubjectDnChoices(const QStringList& choices);
    void setSsaRedirectUris(const QStringList& uris) { m_ssaRedirects = uris; }
    // Moves keyboard focus to the widget that edits the claim (from a preflight finding).
    bool focusClaim(const QString& claim);
    QWidget* fieldFor(const QString& claim) const { return m_fields.value(claim); }

signals:
    void edited(const dcr::RegistrationRequest& request);
    void lifetimeChanged(int seconds);

private:
    void build();
    void collect();
    QListWidget* makeCheckList(const QString& claim, const QStringList& values);
    void refreshChecks(QListWidget* list, const QStringList& checked);

    RegistrationRequest m_request;
    QHash<QString, QWidget*> m_fields;
    QListWidget* m_redirects = nullptr;
    QPlainTextEdit* m_extra = nullptr;
    QLabel* m_extraError = nullptr;
    QSpinBox* m_lifetime = nullptr;
    QLabel* m_receivedTimes = nullptr;
    QComboBox* m_subjectDn = nullptr;
    QStringList m_ssaRedirects;
    SupportedValues m_supported;
    bool m_updating = false;
    bool m_readOnly = false;
    RequestBodyFormat m_bodyFormat = RequestBodyFormat::Jwt;
    void applyEnvelopeState();
};

} // namespace dcr::ui
