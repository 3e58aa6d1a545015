#pragma once

// SoftHSM2 tokens in a temporary folder for the PKCS#11 tests: a softhsm2.conf whose tokendir is
// inside the folder (exported as SOFTHSM2_CONF, for this process and the tools and programs it
// starts), tokens made with softhsm2-util and key pairs generated inside them with OpenSC's
// pkcs11-tool. Every step runs the real tools; a missing tool is reported so the test can QFAIL.

#include "TestSupport.h"

#include <QDir>
#include <QStandardPaths>

namespace dcr::test {

class SoftHsmToken {
public:
    static QString module() { return QStringLiteral("/usr/lib/softhsm/libsofthsm2.so"); }

    // Prepares the folder and SOFTHSM2_CONF. Call once per process, before any token is opened:
    // SoftHSM reads its configuration when the module is first initialised.
    static bool prepare(const QString& dir, QString* why) {
        for (const char* tool : {"softhsm2-util", "pkcs11-tool", "openssl"})
            if (QStandardPaths::findExecutable(QString::fromLatin1(tool)).isEmpty()) {
                *why = QStringLiteral("%1 is not installed (scripts/setup.sh test installs "
                                      "softhsm2 and opensc)")
                           .arg(QString::fromLatin1(tool));
                return false;
            }
        if (!QFileInfo::exists(module())) {
            *why = module() + QStringLiteral(" is missing (Debian package softhsm2)");
            return false;
        }
        const QString tokens = dir + QStringLiteral("/tokens");
        QDir().mkpath(tokens);
        const QString conf = dir + QStringLiteral("/softhsm2.conf");
        writeFile(conf, "directories.tokendir = " + tokens.toUtf8() +
                            "\nobjectstore.backend = file\nlog.level = ERROR\n");
        qputenv("SOFTHSM2_CONF", conf.toUtf8());
        return true;
    }

    SoftHsmToken(const QString& label, const QByteArray& pin)
        : m_label(label)
        , m_pin(pin) {}

    QString label() const { return m_label; }
    QByteArray pin() const { return m_pin; }

    bool init(QString* why) {
        return tool(QStringLiteral("softhsm2-util"),
                    {QStringLiteral("--init-token"), QStringLiteral("--free"),
                     QStringLiteral("--label"), m_label, QStringLiteral("--pin"),
                     QString::fromUtf8(m_pin), QStringLiteral("--so-pin"),
                     QStringLiteral("87654321")},
                    why);
    }

    // keyType as pkcs11-tool takes it: "rsa:2048", "EC:prime256v1".
    bool generate(const QString& keyType, const QString& id, const QString& label, QString* why) {
        return pkcs11Tool({QStringLiteral("--login"), QStringLiteral("--pin"),
                           QString::fromUtf8(m_pin), QStringLiteral("--keypairgen"),
                           QStringLiteral("--key-type"), keyType, QStringLiteral("--id"), id,
                           QStringLiteral("--label"), label},
                          why);
    }

    // Imports a DER private key (PKCS#8) and its DER public key (SubjectPublicKeyInfo) as a pair.
    bool importKeyPair(const QString& privateDer, const QString& publicDer, const QString& id,
                       const QString& label, QString* why) {
        for (const auto& [file, type] : {std::pair{privateDer, QStringLiteral("privkey")},
                                         std::pair{publicDer, QStringLiteral("pubkey")}})
            if (!pkcs11Tool({QStringLiteral("--login"), QStringLiteral("--pin"),
                             QString::fromUtf8(m_pin), QStringLiteral("--write-object"), file,
                             QStringLiteral("--type"), type, QStringLiteral("--id"), id,
                             QStringLiteral("--label"), label},
                            why))
                return false;
        return true;
    }

    // Stores a DER certificate in the token under id/label.
    bool writeCertificate(const QString& derPath, const QString& id, const QString& label,
                          QString* why) {
        return pkcs11Tool({QStringLiteral("--login"), QStringLiteral("--pin"),
                           QString::fromUtf8(m_pin), QStringLiteral("--write-object"), derPath,
                           QStringLiteral("--type"), QStringLiteral("cert"), QStringLiteral("--id"),
                           id, QStringLiteral("--label"), label},
                          why);
    }

    // The public key of id as PEM, exported by pkcs11-tool and converted by the openssl CLI.
    QByteArray publicKeyPem(const QString& id, const QString& workDir, QString* why) {
        const QString der = workDir + QStringLiteral("/pub-%1-%2.der").arg(m_label, id);
        const QString pem = workDir + QStringLiteral("/pub-%1-%2.pem").arg(m_label, id);
        if (!pkcs11Tool({QStringLiteral("--read-object"), QStringLiteral("--type"),
                         QStringLiteral("pubkey"), QStringLiteral("--id"), id, QStringLiteral("-o"),
                         der},
                        why) ||
            !tool(QStringLiteral("openssl"),
                  {QStringLiteral("pkey"), QStringLiteral("-pubin"), QStringLiteral("-inform"),
                   QStringLiteral("DER"), QStringLiteral("-in"), der, QStringLiteral("-out"), pem},
                  why))
            return {};
        return readFile(pem);
    }

    QString uri(const QString& object, const QString& type = QStringLiteral("private")) const {
        return QStringLiteral("pkcs11:token=%1;object=%2;type=%3").arg(m_label, object, type);
    }

private:
    bool pkcs11Tool(QStringList args, QString* why) {
        args = QStringList{QStringLiteral("--module"), module(), QStringLiteral("--token-label"),
                           m_label} +
               args;
        return tool(QStringLiteral("pkcs11-tool"), args, why);
    }

    static bool tool(const QString& program, const QStringList& args, QString* why) {
        const ProcessResult r = run(program, args);
        if (r.exitCode == 0)
            return true;
        *why = QStringLiteral("%1 %2 failed (%3): %4")
                   .arg(program, args.join(u' '))
                   .arg(r.exitCode)
                   .arg(QString::fromUtf8(r.err + r.out));
        return false;
    }

    QString m_label;
    QByteArray m_pin;
};

} // namespace dcr::test
