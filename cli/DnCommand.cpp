#include "CommandLine.h"
#include "Commands.h"
#include "jose/CertificateFile.h"
#include "jose/DistinguishedName.h"
#include "jose/DnComparison.h"
#include "jose/SubjectDnDialects.h"

#include <QJsonObject>

namespace dcr::cli {

namespace {

Result<Certificate> loadCertificate(const QString& path, CliIo& io) {
    auto bytes = readInput(path, io);
    if (!bytes)
        return bytes.error();
    return certificateFromBytes(*bytes, path);
}

void printDialects(const QList<SubjectDnDialect>& dialects, CliIo& io) {
    for (const auto& d : dialects) {
        io.out << d.label << ":\n  " << d.text << '\n';
        if (!d.note.isEmpty())
            io.out << "  (" << d.note << ")\n";
    }
}

void printComparison(const QString& given, const DnComparison& comparison,
                     const std::optional<SubjectDnDialect>& spelledAs, CliIo& io) {
    io.out << "\nCompared with " << given << ":\n  "
           << (comparison.sameByMeaning() ? "the same by meaning" : "different by meaning") << '\n';
    for (const auto& d : comparison.differences())
        io.out << "  - " << d.explanation << '\n';
    for (const auto& note : comparison.notes())
        io.out << "  note: " << note << '\n';
    if (spelledAs)
        io.out << "  note: spelled exactly as the \"" << spelledAs->label << "\" form\n";
}

} // namespace

int dnCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("dn"),
        QStringLiteral("Shows a certificate's subject DN in each dialect banks use (RFC 4514, "
                       "OpenSSL RFC 2253, dotted OID with #hex values as Open Finance Brasil "
                       "asks, CN first, Go's pkix.Name.String(), OpenSSL one-line) and, with "
                       "--compare, whether a DN string means the same subject, explaining each "
                       "difference. Exit 0 the same, 1 different, 2 bad input."),
        QStringLiteral("CERT"),
        QStringLiteral("PEM or DER certificate (or a file holding one), - for standard input"));
    cmd.addOption(QStringLiteral("compare"),
                  QStringLiteral("a DN to compare with the subject by meaning (RFC 4514, OpenSSL "
                                 "one-line or /C=GB/CN=x form)"),
                  QStringLiteral("DN"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("machine-readable output"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    const QString path = cmd.positional().first();
    auto certificate = loadCertificate(path, io);
    if (!certificate)
        return io.fail(ExitUsage, certificate.error().toString());

    std::optional<DnComparison> comparison;
    const QString given = cmd.value(QStringLiteral("compare"));
    if (cmd.isSet(QStringLiteral("compare"))) {
        auto parsed = DistinguishedName::parse(given);
        if (!parsed)
            return io.fail(ExitUsage, QStringLiteral("--compare: ") + parsed.error().toString());
        comparison =
            DnComparison::compare(DistinguishedName::fromCertificateSubject(*certificate), *parsed);
    }
    const int exit = !comparison || comparison->sameByMeaning() ? ExitOk : ExitNegative;
    const auto dialects = SubjectDnDialects::of(*certificate);
    const auto spelledAs = comparison ? SubjectDnDialects::spelledAs(dialects, given)
                                      : std::optional<SubjectDnDialect>();

    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonObject report{{QStringLiteral("certificate"), path},
                           {QStringLiteral("dialects"), SubjectDnDialects::toJson(dialects)}};
        if (comparison) {
            QJsonObject compared = comparison->toJson();
            compared.insert(QStringLiteral("given"), given);
            if (spelledAs)
                compared.insert(QStringLiteral("spelled_as"), spelledAs->key);
            report.insert(QStringLiteral("compare"), compared);
        }
        io.printJson(QJsonDocument(report));
        return exit;
    }
    printDialects(dialects, io);
    if (comparison)
        printComparison(given, *comparison, spelledAs, io);
    io.out.flush();
    return exit;
}

} // namespace dcr::cli
