#include "ProfilesDialog.h"

#include "ConsoleController.h"
#include "Tone.h"
#include "registration/SpecVersion.h"
#include "session/EcosystemPreset.h"
#include "transport/TokenOrigin.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>

namespace dcr::ui {

ProfilesDialog::ProfilesDialog(ConsoleController* controller, QWidget* parent)
    : QDialog(parent)
    , m_controller(controller) {
    setWindowTitle(tr("Profiles"));
    resize(860, 480);
    auto* layout = new QHBoxLayout(this);
    m_list = new QListWidget(this);
    m_list->setMaximumWidth(220);
    auto* right = new QVBoxLayout;
    auto* form = new QFormLayout;
    auto line = [this](const QString& placeholder = {}) {
        auto* e = new QLineEdit(this);
        e->setPlaceholderText(placeholder);
        return e;
    };
    auto fileRow = [this](QLineEdit* edit) {
        auto* box = new QWidget(this);
        auto* h = new QHBoxLayout(box);
        h->setContentsMargins(0, 0, 0, 0);
        auto* browse = new QPushButton(tr("…"), box);
        browse->setMaximumWidth(30);
        connect(browse, &QPushButton::clicked, this, [this, edit] {
            const QString path =
                QFileDialog::getOpenFileName(this, tr("Choose file"), edit->text());
            if (!path.isEmpty())
                edit->setText(path);
        });
        h->addWidget(edit);
        h->addWidget(browse);
        return box;
    };
    m_name = line();
    m_url = line(QStringLiteral("https://aspsp.example/api/open-banking/v3.1/tpp/register"));
    m_discovery = line(QStringLiteral("https://aspsp.example/.well-known/openid-configuration"));
    m_aud = line();
    m_cert = line(tr("transport certificate (PEM, or .p12 with the key)"));
    m_key = line(tr("transport key (PEM) or pkcs11: URI"));
    m_ca = line(tr("extra CA bundle"));
    m_signingKey = line(tr("request signing key, or pkcs11:token=…;object=… for a hardware key"));
    m_pkcs11Module = line(tr("default: $DCR_PKCS11_MODULE, else the p11-kit proxy"));
    m_pkcs11Module->setObjectName(QStringLiteral("pkcs11Module"));
    m_kid = line(tr("default: RFC 7638 thumbprint"));
    m_contentType = new QComboBox(this);
    m_contentType->setObjectName(QStringLiteral("profileContentType"));
    m_contentType->addItems({QStringLiteral("application/jwt"), QStringLiteral("application/jose"),
                             QStringLiteral("application/json")});
    m_bodyFormat = new QComboBox(this);
    m_bodyFormat->setObjectName(QStringLiteral("profileBodyFormat"));
    m_bodyFormat->addItem(tr("jwt: signed request JWT (seed, UK OBIE)"),
                          requestBodyFormatName(RequestBodyFormat::Jwt));
    m_bodyFormat->addItem(tr("json: RFC 7591 metadata, not signed"),
                          requestBodyFormatName(RequestBodyFormat::Json));
    m_bodyFormat->setToolTip(tr("How the registration metadata travels"));
    // The Content-Type follows the format (RFC 7591 §3.1: application/json).
    connect(m_bodyFormat, &QComboBox::currentIndexChanged, this, [this] {
        const auto format = requestBodyFormatFromName(m_bodyFormat->currentData().toString());
        if (format && !contentTypeFits(*format, m_contentType->currentText().toLatin1()))
            m_contentType->setCurrentText(QString::fromLatin1(defaultContentType(*format)));
    });
    m_spec = new QComboBox(this);
    for (SpecVersion spec : allSpecVersions())
        m_spec->addItem(specVersionName(spec));
    m_spec->setToolTip(tr("The contract preflight checks requests against"));
    m_directoryIssuer = line();
    m_directoryIssuer->setPlaceholderText(QStringLiteral("OpenBanking Ltd"));
    m_directoryIssuer->setToolTip(tr("The iss of SSAs from this environment's directory"));
    m_lifecycle = new QComboBox(this);
    m_lifecycle->addItem(tr("OBIE: client_credentials access token"),
                         lifecycleAuthName(LifecycleAuth::Obie));
    m_lifecycle->addItem(tr("RFC 7592: registration access token"),
                         lifecycleAuthName(LifecycleAuth::Rfc7592));
    m_lifecycle->addItem(tr("CDR: access token with scope cdr:registration"),
                         lifecycleAuthName(LifecycleAuth::Cdr));
    m_lifecycle->setToolTip(tr("How reading, updating and deleting a registered client is "
                               "authorised"));
    m_tokenUrl = line(QStringLiteral("https://aspsp.example/token"));
    m_tokenAuth = new QComboBox(this);
    m_tokenAuth->addItems({QStringLiteral("private_key_jwt"), QStringLiteral("tls_client_auth"),
                           QStringLiteral("client_secret_basic"),
                           QStringLiteral("client_secret_post")});
    m_tokenScope = line(tr("e.g. accounts (empty: none asked)"));
    m_tokenScope->setObjectName(QStringLiteral("profileTokenScope"));
    m_tokenOrigins = line(tr("e.g. https://mtls.aspsp.example (empty: the registration "
                             "endpoint's only)"));
    m_tokenOrigins->setObjectName(QStringLiteral("profileTokenOrigins"));
    m_tokenOrigins->setToolTip(
        tr("Origins (https://host[:port], separated by spaces) besides the registration "
           "endpoint's that a bearer token may be sent to: a client configuration URL elsewhere "
           "is refused and recorded, not sent"));
    const std::pair<QLineEdit*, const char*> named[] = {{m_name, "profileName"},
                                                        {m_url, "profileUrl"},
                                                        {m_cert, "profileCert"},
                                                        {m_key, "profileKey"},
                                                        {m_ca, "profileCa"}};
    for (const auto& [edit, objectName] : named)
        edit->setObjectName(QString::fromLatin1(objectName));
    m_lifecycle->setObjectName(QStringLiteral("profileLifecycle"));
    m_tokenAuth->setObjectName(QStringLiteral("profileTokenAuth"));
    m_spec->setObjectName(QStringLiteral("profileSpec"));
    m_timeout = new QSpinBox(this);
    m_timeout->setRange(1, 600);
    m_timeout->setSuffix(tr(" s"));
    m_insecure = new QCheckBox(
        tr("Do NOT verify the ASPSP's TLS certificate (dangerous; shown loudly everywhere)"), this);
    setTextTone(m_insecure, Tone::Error);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Registration URL"), m_url);
    form->addRow(tr("Discovery URL"), m_discovery);
    form->addRow(tr("aud"), m_aud);
    form->addRow(tr("Body format"), m_bodyFormat);
    form->addRow(tr("Content-Type"), m_contentType);
    form->addRow(tr("Transport certificate"), fileRow(m_cert));
    form->addRow(tr("Transport key"), fileRow(m_key));
    form->addRow(tr("CA bundle"), fileRow(m_ca));
    form->addRow(tr("Signing key"), fileRow(m_signingKey));
    form->addRow(tr("PKCS#11 module"), fileRow(m_pkcs11Module));
    form->addRow(tr("Signing kid"), m_kid);
    form->addRow(tr("Spec"), m_spec);
    form->addRow(tr("Directory issuer"), m_directoryIssuer);
    form->addRow(tr("Client lifecycle"), m_lifecycle);
    form->addRow(tr("Token endpoint"), m_tokenUrl);
    form->addRow(tr("Token auth method"), m_tokenAuth);
    form->addRow(tr("Token scope"), m_tokenScope);
    form->addRow(tr("Other origins tokens may go to"), m_tokenOrigins);
    form->addRow(tr("Timeout"), m_timeout);
    form->addRow(QString(), m_insecure);
    auto* buttons = new QDialogButtonBox(this);
    auto* save = buttons->addButton(tr("Save"), QDialogButtonBox::AcceptRole);
    save->setObjectName(QStringLiteral("profileSave"));
    auto* remove = buttons->addButton(tr("Delete"), QDialogButtonBox::DestructiveRole);
    auto* newProfile = buttons->addButton(tr("New"), QDialogButtonBox::ActionRole);
    auto* fromPreset = buttons->addButton(tr("New from preset"), QDialogButtonBox::ActionRole);
    fromPreset->setObjectName(QStringLiteral("profileNewFromPreset"));
    auto* presets = new QMenu(fromPreset);
    for (const EcosystemPreset& preset : ecosystemPresets()) {
        QAction* action = presets->addAction(preset.title);
        action->setObjectName(QStringLiteral("preset-") + preset.id);
        action->setToolTip(preset.source);
        connect(action, &QAction::triggered, this, [this, id = preset.id] { newFromPreset(id); });
    }
    fromPreset->setMenu(presets);
    auto* discover = buttons->addButton(tr("Fetch discovery"), QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(save, &QPushButton::clicked, this, [this] {
        const Profile p = collect();
        if (p.name.isEmpty() || !p.registrationUrl.isValid() ||
            p.registrationUrl.host().isEmpty()) {
            QMessageBox::warning(this, tr("Profile"),
                                 tr("A profile needs a name and an absolute registration URL."));
            return;
        }
        if (auto origins = parseOriginList(m_tokenOrigins->text()); !origins) {
            QMessageBox::warning(
                this, tr("Profile"),
                tr("Other origins tokens may go to: %1").arg(origins.error().message));
            return;
        }
        if (!contentTypeFits(p.bodyFormat, p.contentType)) {
            QMessageBox::warning(this, tr("Profile"),
                                 tr("A JSON body is sent as application/json (RFC 7591 §3.1), a "
                                    "signed JWT body as application/jwt or application/jose."));
            return;
        }
        if (auto saved = m_controller->saveProfile(p); !saved) {
            QMessageBox::warning(this, tr("Profile"), saved.error().message);
            return;
        }
        m_list->clear();
        for (const auto& profile : m_controller->profiles())
            m_list->addItem(profile.name);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (m_embedded)
            return;
        m_controller->removeProfile(m_name->text());
        delete m_list->currentItem();
    });
    connect(newProfile, &QPushButton::clicked, this, &ProfilesDialog::startNewProfile);
    connect(discover, &QPushButton::clicked, m_controller, &ConsoleController::fetchDiscovery);
    connect(m_list, &QListWidget::currentTextChanged, this, &ProfilesDialog::load);
    // The team's actions: one QAction each, enabled when the history is a team history.
    const bool team = m_controller->hasTeamHistory();
    const QString noTeam = tr("Profiles are shared through a team (PostgreSQL) history; set the "
                              "history location to a postgresql:// URL");
    m_publishAction = new QAction(tr("Publish profile"), this);
    m_publishAction->setObjectName(QStringLiteral("publishProfileAction"));
    m_publishAction->setToolTip(team ? tr("Share the shown profile with the team: keys only as "
                                          "paths or pkcs11: URIs, never a secret")
                                     : noTeam);
    m_importAction = new QAction(tr("Import team profile…"), this);
    m_importAction->setObjectName(QStringLiteral("importTeamProfileAction"));
    m_importAction->setToolTip(team ? tr("Save a profile the team published as a local one")
                                    : noTeam);
    m_publishAction->setEnabled(team);
    m_importAction->setEnabled(team);
    connect(m_publishAction, &QAction::triggered, this, &ProfilesDialog::publishShown);
    connect(m_importAction, &QAction::triggered, this, [this] {
        m_importWanted = true;
        showTeamStatus(tr("Reading the team's profiles…"), false);
        m_controller->refreshTeamProfiles();
    });
    connect(m_controller, &ConsoleController::teamProfilesLoaded, this,
            [this](const QList<TeamProfile>& published) {
                m_team = published;
                if (m_importWanted) {
                    m_importWanted = false;
                    chooseImport();
                }
            });
    connect(m_controller, &ConsoleController::teamProfilesFailed, this,
            [this](const QString& message) {
                m_importWanted = false;
                showTeamStatus(message, true);
            });
    auto* teamRow = new QHBoxLayout;
    for (QAction* action : {m_publishAction, m_importAction}) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        teamRow->addWidget(button);
    }
    m_teamStatus = new QLabel(this);
    m_teamStatus->setObjectName(QStringLiteral("teamStatus"));
    m_teamStatus->setWordWrap(true);
    teamRow->addWidget(m_teamStatus, 1);
    right->addLayout(form);
    right->addStretch();
    right->addLayout(teamRow);
    right->addWidget(buttons);
    layout->addWidget(m_list);
    layout->addLayout(right, 1);
    for (const auto& profile : m_controller->profiles())
        m_list->addItem(profile.name);
    const auto items = m_list->findItems(m_controller->currentProfile().name, Qt::MatchExactly);
    if (!items.isEmpty())
        m_list->setCurrentItem(items.first());
    // Which names the team has, so that Publish can ask before it replaces one.
    if (team)
        m_controller->refreshTeamProfiles();
}

void ProfilesDialog::showTeamStatus(const QString& text, bool problem) {
    m_teamStatus->setText(text);
    setTextTone(m_teamStatus, problem ? Tone::Error : Tone::Normal);
}

void ProfilesDialog::publishShown() {
    const QString name = m_name->text();
    bool replace = false;
    for (const TeamProfile& p : m_team)
        if (p.name == name) {
            if (QMessageBox::question(this, tr("Replace the team's profile?"),
                                      tr("The team already has a profile \"%1\", published by %2. "
                                         "Replace it with yours?")
                                          .arg(name, p.publisher())) != QMessageBox::Yes)
                return;
            replace = true;
        }
    auto removed = m_controller->publishProfile(name, replace);
    if (!removed) {
        showTeamStatus(removed.error().message, true);
        return;
    }
    QString text = tr("Published \"%1\" to the team.").arg(name);
    if (!removed->isEmpty())
        text += u' ' + tr("Not published: %1.").arg(removed->join(QStringLiteral("; ")));
    showTeamStatus(text, false);
    m_controller->refreshTeamProfiles();
}

void ProfilesDialog::chooseImport() {
    if (m_team.isEmpty()) {
        showTeamStatus(tr("The team has published no profile yet."), false);
        return;
    }
    QStringList names;
    for (const TeamProfile& p : m_team)
        names << p.name;
    bool ok = false;
    const QString chosen =
        QInputDialog::getItem(this, tr("Import team profile"), tr("Profile published to the team:"),
                              names, 0, false, &ok);
    if (!ok)
        return;
    const TeamProfile& published = m_team.at(names.indexOf(chosen));
    QString asName = published.name;
    // Never over a local profile: the user names the copy instead.
    if (m_controller->session()->profile(asName)) {
        asName = QInputDialog::getText(this, tr("Import team profile"),
                                       tr("A local profile \"%1\" exists and is kept. Save the "
                                          "team's as:")
                                           .arg(published.name),
                                       QLineEdit::Normal, tr("%1 (team)").arg(published.name), &ok);
        if (!ok)
            return;
    }
    auto imported = m_controller->importTeamProfile(published, asName);
    if (!imported) {
        showTeamStatus(imported.error().message, true);
        return;
    }
    showTeamStatus(tr("Imported \"%1\" (published by %2) as \"%3\".")
                       .arg(published.name, published.publisher(), imported->name),
                   false);
    m_list->addItem(imported->name);
    const auto items = m_list->findItems(imported->name, Qt::MatchExactly);
    if (!items.isEmpty())
        m_list->setCurrentItem(items.first());
}

void ProfilesDialog::load(const QString& name) {
    for (const auto& p : m_controller->profiles())
        if (p.name == name)
            display(p);
}

void ProfilesDialog::deselectProfile() {
    const QSignalBlocker block(m_list); // not a load of the profile being left
    m_list->setCurrentRow(-1);
}

// A blank, editable profile whatever was selected before (an embedded sandbox's name and URL are
// fixed, a new profile's never are): nothing in the list is selected while it is being made.
void ProfilesDialog::startNewProfile() {
    deselectProfile();
    display(Profile());
    m_name->setFocus();
}

void ProfilesDialog::newFromPreset(const QString& presetId) {
    const EcosystemPreset* preset = findEcosystemPreset(presetId);
    if (!preset)
        return;
    deselectProfile();
    display(preset->applyTo(Profile()));
    m_name->setFocus();
}

void ProfilesDialog::display(const Profile& p) {
    m_loaded = p;
    m_embedded = p.embeddedSandbox;
    m_name->setText(p.name);
    m_bodyFormat->setCurrentIndex(
        qMax(0, m_bodyFormat->findData(requestBodyFormatName(p.bodyFormat))));
    m_url->setText(p.registrationUrl.toString());
    m_discovery->setText(p.discoveryUrl.toString());
    m_aud->setText(p.aud);
    m_contentType->setCurrentText(QString::fromLatin1(p.contentType));
    m_cert->setText(p.transportCertPath);
    m_key->setText(p.transportKeyPath);
    m_ca->setText(p.caBundlePath);
    m_signingKey->setText(p.signingKeyPath);
    m_pkcs11Module->setText(p.pkcs11Module);
    m_kid->setText(p.signingKid);
    m_spec->setCurrentText(specVersionName(p.specVersion));
    m_directoryIssuer->setText(p.directoryIssuer);
    m_lifecycle->setCurrentIndex(
        qMax(0, m_lifecycle->findData(lifecycleAuthName(p.lifecycleAuth))));
    m_tokenUrl->setText(p.tokenEndpoint.toString());
    m_tokenAuth->setCurrentText(clientAuthMethodName(p.tokenAuthMethod));
    m_tokenScope->setText(p.tokenScope);
    m_tokenOrigins->setText(p.tokenOrigins.join(u' '));
    m_timeout->setValue(p.timeoutSeconds);
    m_insecure->setChecked(p.insecure);
    m_url->setEnabled(!p.embeddedSandbox);
    m_name->setEnabled(!p.embeddedSandbox);
}

Profile ProfilesDialog::collect() const {
    // A profile being made from a preset has no name yet: it keeps the preset it came from.
    Profile p =
        m_loaded.name == m_name->text().trimmed() || m_loaded.name.isEmpty() ? m_loaded : Profile();
    p.name = m_name->text().trimmed();
    p.registrationUrl = QUrl(m_url->text().trimmed());
    p.discoveryUrl = QUrl(m_discovery->text().trimmed());
    p.aud = m_aud->text().trimmed();
    p.contentType = m_contentType->currentText().toLatin1();
    // The combo boxes hold only the names of their enums: each reads back.
    p.bodyFormat =
        requestBodyFormatFromName(m_bodyFormat->currentData().toString()).value_or(p.bodyFormat);
    p.transportCertPath = m_cert->text().trimmed();
    p.transportKeyPath = m_key->text().trimmed();
    p.caBundlePath = m_ca->text().trimmed();
    p.signingKeyPath = m_signingKey->text().trimmed();
    p.pkcs11Module = m_pkcs11Module->text().trimmed();
    p.signingKid = m_kid->text().trimmed();
    p.specVersion = specVersionFromName(m_spec->currentText()).value_or(p.specVersion);
    p.directoryIssuer = m_directoryIssuer->text().trimmed();
    p.lifecycleAuth =
        lifecycleAuthFromName(m_lifecycle->currentData().toString()).value_or(p.lifecycleAuth);
    p.tokenEndpoint = QUrl(m_tokenUrl->text().trimmed());
    p.tokenAuthMethod =
        clientAuthMethodFromName(m_tokenAuth->currentText()).value_or(p.tokenAuthMethod);
    p.tokenScope = m_tokenScope->text().trimmed();
    // Checked when saved (an unusable origin is refused there with its reason).
    const auto origins = parseOriginList(m_tokenOrigins->text());
    p.tokenOrigins = origins ? *origins : QStringList();
    p.timeoutSeconds = m_timeout->value();
    p.insecure = m_insecure->isChecked();
    p.embeddedSandbox = m_embedded;
    return p;
}

} // namespace dcr::ui
