"""Interop: Python zeep (strict mode), which knows nothing of our code, loads the served ?wsdl of the
mock Nodo and of a reference station, pays a notice end to end through `serve` (verify, activate,
outcome) and calls a station directly. Prints one JSON object; test/interop/zeep.test.ts checks it.
Run with Debian's python3 and python3-zeep: /usr/bin/python3 zeep_pay.py <base URL>."""
import json
import sys

import zeep
from zeep.helpers import serialize_object

base = sys.argv[1].rstrip("/")
settings = zeep.Settings(strict=True, xml_huge_tree=False)
psp = {"idPSP": "88888888888", "idBrokerPSP": "88888888888", "idChannel": "88888888888_01", "password": "PLACEHOLDER"}
qr = {"fiscalCode": "77777777777", "noticeNumber": "301000000000010252"}


def plain(obj):
    return json.loads(json.dumps(serialize_object(obj), default=str))


nodo = zeep.Client(base + "/nodo?wsdl", settings=settings)
verify = nodo.service.verifyPaymentNotice(**psp, qrCode=qr)
amount = verify.paymentList.paymentOptionDescription[0].amount
activate = nodo.service.activatePaymentNoticeV2(**psp, idempotencyKey="88888888888_zeep000001", qrCode=qr, amount=amount)
outcome = nodo.service.sendPaymentOutcomeV2(
    **psp,
    paymentTokens={"paymentToken": [activate.paymentToken]},
    outcome="OK",
    details={"paymentMethod": "creditCard", "fee": "1.00", "applicationDate": "2026-01-15", "transferDate": "2026-01-16"},
)

station = zeep.Client(base + "/stations/77777777777_02?wsdl", settings=settings)
direct = station.service.paVerifyPaymentNotice(
    idPA="77777777777", idBrokerPA="77777777777", idStation="77777777777_02", qrCode={"fiscalCode": "77777777777", "noticeNumber": "302000000000020105"}
)

print(json.dumps({
    "zeep": zeep.__version__,
    "verify": plain(verify),
    "activate": plain(activate),
    "outcome": plain(outcome),
    "direct": plain(direct),
}))
