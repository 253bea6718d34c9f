"""The SecurityCredential of B2C and status queries: the initiator password encrypted with
Safaricom's certificate."""

from __future__ import annotations

import base64
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from django.core.exceptions import ImproperlyConfigured

from mpesa.client.config import DarajaConfig

# What B2C and status queries carry as SecurityCredential in the simulator environment, where
# there is no Safaricom certificate to encrypt the initiator password with. The simulator
# accepts exactly this value.
SIMULATOR_SECURITY_CREDENTIAL = "hazina-simulator-security-credential"


def encrypt_initiator_password(password: str, certificate: bytes) -> str:
    """base64(RSA PKCS#1 v1.5 encryption of the password with the certificate's public key)."""
    if b"-----BEGIN" in certificate:
        cert = x509.load_pem_x509_certificate(certificate)
    else:
        cert = x509.load_der_x509_certificate(certificate)
    public_key = cert.public_key()
    if not isinstance(public_key, RSAPublicKey):
        raise ImproperlyConfigured("The M-Pesa certificate must hold an RSA public key.")
    return base64.b64encode(public_key.encrypt(password.encode(), padding.PKCS1v15())).decode()


def security_credential(config: DarajaConfig) -> str:
    """A fresh ciphertext each time (PKCS#1 v1.5 padding is random); the simulator's
    placeholder where there is no certificate."""
    path = config.certificate_path
    if path:
        try:
            certificate = Path(path).read_bytes()
        except OSError as exc:
            raise ImproperlyConfigured(f"Cannot read MPESA_CERTIFICATE_PATH {path}.") from exc
        return encrypt_initiator_password(config.initiator_password, certificate)
    if config.environment == "simulator":
        return SIMULATOR_SECURITY_CREDENTIAL
    raise ImproperlyConfigured(
        "MPESA_CERTIFICATE_PATH must point at Safaricom's certificate for B2C and status "
        "queries outside the simulator (see mpesa/DARAJA.md)."
    )
