#include "ClaimsForm.h"

#include "JsonText.h"
#include "Tone.h"
#include "common/JsonInteger.h"
#include "registration/ClaimSpec.h"
#include "registration/JsonRegistrationBody.h"

#include <QComboBox>
#include <QDateTime>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>

namespace dcr::ui {

namespace {

const QStringList kEnumClaims = {
    QStringLiteral("token_endpoint_auth_method"), QStringLiteral("token_endpoint_auth_signing_alg"),
    QStringLiteral("application_type"), QStringLiteral("request_object_signing_alg"),
    QStringLiteral("id_token_signed_response_alg")};
const QStringList kCheckClaims = {QStringLiteral("grant_types"), QStringLiteral("response_types"),
                                  QStringLiteral("scope")};

QString supportedKey(const QString& claim) {
    static const QHash<QString, QString> map = {
        {QStringLiteral("token_endpoint_auth_method"),
         QStringLiteral("token_endpoint_auth_methods_supported")},
        {QStringLiteral("token_endpoint_auth_signing_alg"),
         QStringLiteral("token_endpoint_auth_signing_alg_values_supported")},
        {QStringLiteral("grant_types"), QStringLiteral("grant_types_supported")},
        {QStringLiteral("response_types"), QStringLiteral("response_types_supported")},
        {QStringLiteral("scope"), QStringLiteral("scopes_supported")},
        {QStringLiteral("request_object_signing_alg"),
         QStringLiteral("request_object_signing_alg_values_supported")},
        {QStringLiteral("id_token_signed_response_alg"),
         QStringLiteral("id_token_signing_alg_values_supported")}};
    return map.value(claim);
}

const QString kUnsupported = QStringLiteral("  (not advertised by the ASPSP)");

// Enough of a subject DN ("CN=…,OU=…,O=…,C=GB") to tell two apart without scrolling.
constexpr int SubjectDnMinimumCharacters = 40;

} // namespace

ClaimsForm::ClaimsForm(QWidget* parent)
    : QWidget(parent) {
    build();
}

QListWidget* ClaimsForm::makeCheckList(const QString& claim, const QStringList& values) {
    auto* list = new QListWidget(this);
    list->setObjectName(QStringLiteral("claim_") + claim);
    for (const QString& v : values) {
        auto* item = new QListWidgetItem(v, list);
        item->setData(Qt::UserRole, v);
        item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        item->setCheckState(Qt::Unchecked);
    }
    list->setMaximumHeight(list->sizeHintForRow(0) * static_cast<int>(values.size()) +
                           2 * list->frameWidth() + 4);
    connect(list, &QListWidget::itemChanged, this, [this] { collect(); });
    return list;
}

void ClaimsForm::build() {
    auto* form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    for (const ClaimSpec& spec : registrationClaimSpecs()) {
        QWidget* field = nullptr;
        const QString label = spec.name + (spec.required ? QStringLiteral(" *") : QString());
        if (spec.name == QStringLiteral("iat") || spec.name == QStringLiteral("exp")) {
            if (spec.name == QStringLiteral("exp"))
                continue;
            m_lifetime = new QSpinBox(this);
            m_lifetime->setObjectName(QStringLiteral("claim_exp"));
            m_lifetime->setRange(10, 86400);
            m_lifetime->setValue(300);
            m_lifetime->setSuffix(tr(" s after signing"));
            m_lifetime->setToolTip(
                tr("iat is set to the moment of signing; exp = iat + this lifetime"));
            connect(m_lifetime, &QSpinBox::valueChanged, this, [this](int v) {
                if (!m_updating)
                    emit lifetimeChanged(v);
            });
            m_fields.insert(QStringLiteral("iat"), m_lifetime);
            m_fields.insert(QStringLiteral("exp"), m_lifetime);
            // A received request has fixed times; they are shown as they are, not as a lifetime.
            m_receivedTimes = new QLabel(this);
            m_receivedTimes->setObjectName(QStringLiteral("receivedTimes"));
            m_receivedTimes->setTextInteractionFlags(Qt::TextSelectableByMouse);
            m_receivedTimes->hide();
            auto* times = new QHBoxLayout;
            times->addWidget(m_lifetime);
            times->addWidget(m_receivedTimes, 1);
            form->addRow(tr("iat / exp *"), times);
            continue;
        }
        if (kEnumClaims.contains(spec.name)) {
            auto* combo = new QComboBox(this);
            combo->addItem(tr("(not set)"), QString());
            for (const QString& v : spec.allowed)
                combo->addItem(v, v);
            connect(combo, &QComboBox::currentIndexChanged, this, [this] { collect(); });
            field = combo;
        } else if (kCheckClaims.contains(spec.name)) {
            field = makeCheckList(spec.name, spec.allowed);
        } else if (spec.name == QStringLiteral("redirect_uris")) {
            auto* box = new QWidget(this);
            auto* v = new QVBoxLayout(box);
            v->setContentsMargins(0, 0, 0, 0);
            m_redirects = new QListWidget(box);
            m_redirects->setObjectName(QStringLiteral("claim_redirect_uris"));
            m_redirects->setMaximumHeight(90);
            connect(m_redirects, &QListWidget::itemChanged, this, [this] { collect(); });
            auto* buttons = new QHBoxLayout;
            auto* add = new QPushButton(tr("Add"), box);
            auto* remove = new QPushButton(tr("Remove"), box);
            auto* useSsa = new QPushButton(tr("Use the SSA's"), box);
            useSsa->setObjectName(QStringLiteral("useSsaRedirects"));
            connect(add, &QPushButton::clicked, this, [this] {
                auto* item = new QListWidgetItem(QStringLiteral("https://"), m_redirects);
                item->setFlags(item->flags() | Qt::ItemIsEditable);
                m_redirects->editItem(item);
                collect();
            });
            connect(remove, &QPushButton::clicked, this, [this] {
                delete m_redirects->currentItem();
                collect();
            });
            connect(useSsa, &QPushButton::clicked, this, [this] {
                m_request.setStringList(QStringLiteral("redirect_uris"), m_ssaRedirects);
                setRequest(m_request);
                emit edited(m_request);
            });
            buttons->addWidget(add);
            buttons->addWidget(remove);
            buttons->addWidget(useSsa);
            buttons->addStretch();
            v->addWidget(m_redirects);
            v->addLayout(buttons);
            m_fields.insert(spec.name, m_redirects);
            form->addRow(label, box);
            continue;
        } else if (spec.name == QStringLiteral("software_statement")) {
            auto* edit = new QPlainTextEdit(this);
            edit->setMaximumHeight(70);
            edit->setTabChangesFocus(true); // a JWT has no tabs; Tab goes on to the next field
            edit->setPlaceholderText(
                tr("Paste the SSA (a JWT), or use \"Fill form from SSA\" in the SSA tab"));
            connect(edit, &QPlainTextEdit::textChanged, this, [this] { collect(); });
            field = edit;
        } else if (spec.name == QStringLiteral("tls_client_auth_subject_dn")) {
            m_subjectDn = new QComboBox(this);
            m_subjectDn->setEditable(true);
            // A whole row, like the line edits: a DN is long, and its choices arrive after the
            // form is first shown (when the transport certificate is loaded), too late for the
            // combo box to size itself to them.
            m_subjectDn->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
            m_subjectDn->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            m_subjectDn->setMinimumContentsLength(SubjectDnMinimumCharacters);
            m_subjectDn->setToolTip(tr("The transport certificate's subject DN; banks differ on "
                                       "how they write organizationIdentifier"));
            connect(m_subjectDn, &QComboBox::currentTextChanged, this, [this] { collect(); });
            field = m_subjectDn;
        } else if (spec.name == QStringLiteral("jti")) {
            auto* box = new QWidget(this);
            auto* h = new QHBoxLayout(box);
            h->setContentsMargins(0, 0, 0, 0);
            auto* edit = new QLineEdit(box);
            edit->setObjectName(QStringLiteral("claim_jti"));
            auto* regenerate = new QPushButton(tr("New"), box);
            connect(edit, &QLineEdit::textChanged, this, [this] { collect(); });
            connect(regenerate, &QPushButton::clicked, edit,
                    [edit] { edit->setText(newUuidV4()); });
            h->addWidget(edit);
            h->addWidget(regenerate);
            m_fields.insert(spec.name, edit);
            form->addRow(label, box);
            continue;
        } else {
            auto* edit = new QLineEdit(this);
            connect(edit, &QLineEdit::textChanged, this, [this] { collect(); });
            field = edit;
        }
        field->setObjectName(QStringLiteral("claim_") + spec.name);
        field->setToolTip(spec.description() + (spec.obie ? tr(" (OBIE DCR 3.1-3.3)") : QString()));
        m_fields.insert(spec.name, field);
        form->addRow(label, field);
    }
    m_extra = new QPlainTextEdit(this);
    m_extra->setObjectName(QStringLiteral("extraClaims"));
    m_extra->setMaximumHeight(60);
    m_extra->setTabChangesFocus(true); // JSON needs no tabs; Tab goes on to the next field
    m_extra->setPlaceholderText(tr("Other claims as a JSON object; kept and sent as they are"));
    m_extraError = new QLabel(this);
    setTextTone(m_extraError, Tone::Error);
    m_extraError->hide();
    connect(m_extra, &QPlainTextEdit::textChanged, this, [this] { collect(); });
    form->addRow(tr("extra claims"), m_extra);
    form->addRow(QString(), m_extraError);
}

void ClaimsForm::refreshChecks(QListWidget* list, const QStringList& checked) {
    const QString claim = list->objectName().mid(6);
    const QStringList supported = m_supported.value(supportedKey(claim));
    // Values outside the allowed set stay visible (and checked) so nothing of a request is lost.
    for (int i = list->count() - 1; i >= 0; --i)
        if (list->item(i)->data(Qt::UserRole + 1).toBool() &&
            !checked.contains(list->item(i)->data(Qt::UserRole).toString()))
            delete list->takeItem(i);
    for (const QString& value : checked) {
        bool present = false;
        for (int i = 0; i < list->count(); ++i)
            present |= list->item(i)->data(Qt::UserRole).toString() == value;
        if (!present) {
            auto* item = new QListWidgetItem(list);
            item->setData(Qt::UserRole, value);
            item->setData(Qt::UserRole + 1, true);
            item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
        }
    }
    list->setMaximumHeight(list->sizeHintForRow(0) * list->count() + 2 * list->frameWidth() + 4);
    for (int i = 0; i < list->count(); ++i) {
        QListWidgetItem* item = list->item(i);
        const QString value = item->data(Qt::UserRole).toString();
        item->setCheckState(checked.contains(value) ? Qt::Checked : Qt::Unchecked);
        const bool notAllowed = item->data(Qt::UserRole + 1).toBool();
        const bool unsupported = !supported.isEmpty() && !supported.contains(value);
        item->setText(value + (notAllowed    ? tr("  (not an allowed value)")
                               : unsupported ? kUnsupported
                                             : QString()));
        item->setForeground(notAllowed    ? toneColour(Tone::Error, list->palette())
                            : unsupported ? toneColour(Tone::Warning, list->palette())
                                          : list->palette().text().color());
    }
}

void ClaimsForm::setRequest(const RegistrationRequest& request) {
    m_updating = true;
    m_request = request;
    m_receivedTimes->setText(describeTimes(request));
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        const QString& claim = it.key();
        if (auto* combo = qobject_cast<QComboBox*>(it.value()); combo && combo != m_subjectDn) {
            const QString value = request.string(claim);
            int index = combo->findData(value);
            if (index < 0 && !value.isEmpty()) {
                combo->addItem(value + tr("  (not allowed)"), value);
                index = combo->count() - 1;
            }
            combo->setCurrentIndex(qMax(index, 0));
            const QStringList supported = m_supported.value(supportedKey(claim));
            for (int i = 1; i < combo->count(); ++i) {
                const QString v = combo->itemData(i).toString();
                combo->setItemText(i, v + (!supported.isEmpty() && !supported.contains(v)
                                               ? kUnsupported
                                               : QString()));
            }
        } else if (auto* list = qobject_cast<QListWidget*>(it.value());
                   list && list != m_redirects) {
            refreshChecks(list, claim == QStringLiteral("scope") ? request.scopes()
                                                                 : request.stringList(claim));
        } else if (auto* edit = qobject_cast<QLineEdit*>(it.value())) {
            if (edit->text() != request.string(claim))
                edit->setText(request.string(claim));
        } else if (auto* text = qobject_cast<QPlainTextEdit*>(it.value())) {
            if (text->toPlainText() != request.string(claim))
                text->setPlainText(request.string(claim));
        }
    }
    if (m_subjectDn &&
        m_subjectDn->currentText() != request.string(QStringLiteral("tls_client_auth_subject_dn")))
        m_subjectDn->setCurrentText(request.string(QStringLiteral("tls_client_auth_subject_dn")));
    m_redirects->clear();
    for (const QString& uri : request.redirectUris()) {
        auto* item = new QListWidgetItem(uri, m_redirects);
        item->setFlags(item->flags() | Qt::ItemIsEditable);
    }
    QJsonObject extra;
    for (const QString& name : request.unknownClaims())
        extra.insert(name, request.claims().value(name));
    m_extra->setPlainText(
        extra.isEmpty() ? QString()
                        : QString::fromUtf8(QJsonDocument(extra).toJson(QJsonDocument::Indented)));
    m_extraError->hide();
    m_updating = false;
}

void ClaimsForm::collect() {
    if (m_updating)
        return;
    RegistrationRequest r = m_request;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        const QString& claim = it.key();
        if (claim == QStringLiteral("iat") || claim == QStringLiteral("exp"))
            continue;
        if (auto* combo = qobject_cast<QComboBox*>(it.value()); combo && combo != m_subjectDn) {
            r.setString(claim, combo->currentData().toString());
        } else if (auto* list = qobject_cast<QListWidget*>(it.value());
                   list && list != m_redirects) {
            QStringList values;
            for (int i = 0; i < list->count(); ++i)
                if (list->item(i)->checkState() == Qt::Checked)
                    values << list->item(i)->data(Qt::UserRole).toString();
            if (claim == QStringLiteral("scope"))
                r.setString(claim, values.join(u' '));
            else
                r.setStringList(claim, values);
        } else if (auto* edit = qobject_cast<QLineEdit*>(it.value())) {
            r.setString(claim, edit->text().trimmed());
        } else if (auto* text = qobject_cast<QPlainTextEdit*>(it.value())) {
            r.setString(claim, text->toPlainText().trimmed());
        }
    }
    r.setString(QStringLiteral("tls_client_auth_subject_dn"), m_subjectDn->currentText().trimmed());
    QStringList uris;
    for (int i = 0; i < m_redirects->count(); ++i)
        if (!m_redirects->item(i)->text().trimmed().isEmpty())
            uris << m_redirects->item(i)->text().trimmed();
    r.setStringList(QStringLiteral("redirect_uris"), uris);
    for (const QString& name : r.unknownClaims())
        r.remove(name);
    const QString extraText = m_extra->toPlainText().trimmed();
    if (!extraText.isEmpty()) {
        auto extra = parseJsonObject(extraText.toUtf8(), tr("extra claims"));
        if (!extra) {
            // Keep the previous extra claims until the text is valid again: nothing is lost.
            m_extraError->setText(extra.error().message);
            m_extraError->show();
            for (const QString& name : m_request.unknownClaims())
                r.claims().insert(name, m_request.claims().value(name));
        } else {
            m_extraError->hide();
            for (auto it = extra->begin(); it != extra->end(); ++it)
                if (!findClaimSpec(it.key()))
                    r.claims().insert(it.key(), it.value());
        }
    } else {
        m_extraError->hide();
    }
    m_request = r;
    emit edited(m_request);
}

void ClaimsForm::setReadOnly(bool readOnly) {
    for (QWidget* w : findChildren<QWidget*>())
        if (qobject_cast<QLineEdit*>(w) || qobject_cast<QPlainTextEdit*>(w) ||
            qobject_cast<QComboBox*>(w) || qobject_cast<QListWidget*>(w) ||
            qobject_cast<QPushButton*>(w) || qobject_cast<QSpinBox*>(w))
            w->setEnabled(!readOnly);
    m_lifetime->setVisible(!readOnly);
    m_receivedTimes->setVisible(readOnly);
    m_readOnly = readOnly;
    applyEnvelopeState();
}

void ClaimsForm::setBodyFormat(RequestBodyFormat format) {
    m_bodyFormat = format;
    applyEnvelopeState();
}

void ClaimsForm::applyEnvelopeState() {
    const bool json = m_bodyFormat == RequestBodyFormat::Json;
    for (const QString& claim : JsonRegistrationBody::jwtOnlyClaims()) {
        QWidget* field = m_fields.value(claim);
        if (!field)
            continue;
        // The jti edit sits in a box with its "New" button: disable both.
        QWidget* row = claim == QStringLiteral("jti") ? field->parentWidget() : field;
        row->setEnabled(!m_readOnly && !json);
        // The widget's own tooltip is kept aside while the JSON note replaces it.
        const char* kept = "jwtToolTip";
        if (!row->property(kept).isValid())
            row->setProperty(kept, row->toolTip());
        row->setToolTip(json ? tr("%1 is a claim of a signed JWT: a JSON body (RFC 7591 §3.1) "
                                  "leaves it out")
                                   .arg(claim)
                             : row->property(kept).toString());
    }
}

QString ClaimsForm::describeTimes(const RegistrationRequest& request) {
    const QJsonObject& claims = request.claims();
    auto describe = [&claims](const QString& name) {
        const QJsonValue v = claims.value(name);
        if (v.isUndefined())
            return tr("%1 missing").arg(name);
        const auto seconds = jsonInteger(v);
        if (!seconds)
            return tr("%1 %2 (not an integer)").arg(name, compactJsonText(v));
        return tr("%1 %2").arg(
            name, QDateTime::fromSecsSinceEpoch(*seconds, Qt::UTC).toString(Qt::ISODate));
    };
    QString text =
        describe(QStringLiteral("iat")) + QStringLiteral("  ·  ") + describe(QStringLiteral("exp"));
    const auto iat = jsonInteger(claims.value(QStringLiteral("iat")));
    const auto exp = jsonInteger(claims.value(QStringLiteral("exp")));
    if (iat && exp)
        text += tr("  (lifetime %1 s)").arg(*exp - *iat);
    return text;
}

void ClaimsForm::setLifetime(int seconds) {
    m_updating = true;
    m_lifetime->setValue(seconds);
    m_updating = false;
}

void ClaimsForm::setSupportedValues(const SupportedValues& supported) {
    m_supported = supported;
    setRequest(m_request);
}

void ClaimsForm::setSubjectDnChoices(const QStringList& choices) {
    m_updating = true;
    const QString current = m_subjectDn->currentText();
    m_subjectDn->clear();
    m_subjectDn->addItems(choices);
    m_subjectDn->setCurrentText(current);
    m_updating = false;
}

bool ClaimsForm::focusClaim(const QString& claim) {
    QWidget* w = m_fields.value(claim);
    if (!w)
        return false;
    w->setFocus(Qt::OtherFocusReason);
    return true;
}

} // namespace dcr::ui
