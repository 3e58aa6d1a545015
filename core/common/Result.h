#pragma once

#include "Error.h"

#include <utility>
#include <variant>

namespace dcr {

// A value or an Error. C++23's std::expected is not available with Debian 12's g++ in C++20 mode.
// [[nodiscard]]: an ignored Result is an ignored failure.
template <typename T> class [[nodiscard]] Result {
public:
    Result(T value)
        : m_state(std::move(value)) {}
    Result(Error error)
        : m_state(std::move(error)) {}
    Result(ErrorKind kind, QString message)
        : m_state(Error{kind, std::move(message)}) {}

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<T>(m_state); }
    T& value() & { return std::get<T>(m_state); }
    T&& value() && { return std::get<T>(std::move(m_state)); }
    const T* operator->() const { return &std::get<T>(m_state); }
    T* operator->() { return &std::get<T>(m_state); }
    const T& operator*() const { return value(); }

    const Error& error() const { return std::get<Error>(m_state); }

private:
    std::variant<T, Error> m_state;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
        , m_failed(true) {}
    Result(ErrorKind kind, QString message)
        : m_error{kind, std::move(message)}
        , m_failed(true) {}

    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }

private:
    Error m_error{ErrorKind::CryptoFailure, {}};
    bool m_failed = false;
};

using Status = Result<void>;

} // namespace dcr
