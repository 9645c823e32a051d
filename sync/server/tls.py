"""The server's own TLS certificate: self-signed, made once at `fieldapp-server init`.

Devices do not consult any certificate authority: at enrollment the officer compares the
certificate's SHA-256 fingerprint (printed by `init` and `enroll-code`) with what the server
presents, and the device keeps that one file as its only trust anchor (`requests` with
`verify=server.pem`). So the certificate must be acceptable to OpenSSL as both the leaf and the
anchor: self-signed, names every address devices use in its subjectAltName, and is valid for
long enough that devices in the field are never cut off by its expiry (10 years; replacing it
means re-enrolling every device, see docs/SERVER.md).
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from fieldapp.atomic import atomic_write

VALIDITY = timedelta(days=3652)
LOOPBACK_ADDRESSES = ("127.0.0.1", "::1")


@dataclass(frozen=True)
class Certificate:
    """A certificate and its private key, both PEM."""

    cert_pem: bytes
    key_pem: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.cert_pem)


def default_hostnames(extra: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The DNS names the certificate names: this machine's names, `localhost`, and `extra`."""
    names: list[str] = []
    for name in (socket.gethostname(), socket.getfqdn(), "localhost", *extra):
        name = name.strip().lower().rstrip(".")
        if name and name not in names and not is_ip_address(name):
            names.append(name)
    return names


def is_ip_address(text: str) -> bool:
    """Whether `text` is an IPv4 or IPv6 address (not a host name)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def make_certificate(
    hostnames: list[str] | tuple[str, ...] = (),
    *,
    now: datetime | None = None,
) -> Certificate:
    """A new EC P-256 key and a self-signed certificate for `hostnames` (and the loopback IPs).

    An entry of `hostnames` that is an IP address goes into the SAN as an IP address.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    now = now or datetime.now(UTC)
    dns = [h for h in hostnames if not is_ip_address(h)] or ["localhost"]
    ips = list(dict.fromkeys([*LOOPBACK_ADDRESSES, *(h for h in hostnames if is_ip_address(h))]))
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, dns[0][:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "fieldapp sync server"),
        ]
    )
    public = key.public_key()
    san = [x509.DNSName(h) for h in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))  # small clock differences
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        # A plain leaf (not a CA): OpenSSL 3 accepts a self-signed leaf as its own trust anchor
        # when it is the file given to `verify=`, also with VERIFY_X509_STRICT (a test checks).
        # Being no CA, the pinned file cannot vouch for any other certificate.
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return Certificate(cert.public_bytes(serialization.Encoding.PEM), key_pem)


def write_certificate(certificate: Certificate, cert_path: Path, key_path: Path) -> None:
    """Write the key (0600) and then the certificate (0644: it is public), each atomically."""
    atomic_write(key_path, certificate.key_pem, mode=0o600)
    atomic_write(cert_path, certificate.cert_pem, mode=0o644)


def fingerprint(cert_pem: bytes) -> str:
    """The SHA-256 of the certificate's DER encoding, as 64 lowercase hex digits."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def subject_alternative_names(cert_pem: bytes) -> tuple[list[str], list[str]]:
    """The DNS names and IP addresses a certificate is valid for."""
    cert = x509.load_pem_x509_certificate(cert_pem)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    dns = san.get_values_for_type(x509.DNSName)
    ips = [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
    return dns, ips
