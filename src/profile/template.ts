/** The commented station profile `station-harness init` writes (it must load as it is: a test checks it). */
export const PROFILE_TEMPLATE = `# Station profile: your station as the pagoPA Nodo's configuration sees it, and the test data
# it holds, by role. The station suite (station-harness check --profile station.yaml) calls
# your station as the Nodo would and judges its answers against this file: expected values
# come from here and from your station's own earlier answers, never from the harness's data.
# Quote codes ("01", "77777777777"): YAML would otherwise read them as numbers.

station:
  url: http://127.0.0.1:8080/paForNode   # your paForNode endpoint (what the Nodo calls)
  idBrokerPA: "77777777777"               # your intermediary (broker) code
  idStation: "77777777777_01"             # your station code
  primitiveVersion: 2                     # 1: paGetPayment/paSendRT, 2: paGetPaymentV2/paSendRTV2
  # timeouts:                             # the Nodo's timeouts towards your station (defaults below,
  #   paVerifyPaymentNotice: 7s           # docs/primitives.md §12); an answer slower than this fails
  #   paGetPayment: 7s
  #   paSendRT: 15s

ecs:                                      # the creditor institutions (ECs) whose notices you serve
  - fiscalCode: "77777777777"
    companyName: Comune di Esempio        # optional
    segregationCodes: ["01"]              # aux digit 3: the 2 digits after the 3 of your notice numbers
    # applicationCodes: ["01"]            # aux digit 0 (legacy)
    # auxDigit: 2                         # aux digit 1 or 2 (legacy, no code)
    ibans: [IT60X0542811101000000123456]  # IBANs registered for the EC: every transfer IBAN must be one
    # postalAccounts: ["000012345678"]    # postal accounts (ccPost, 12 digits)
    # broadcast: true                     # your station also gets this EC's receipts of payments made
                                          # through other stations (broadcast association)

# secondaryEcs:                           # other ECs that are beneficiaries of your multi-beneficiary
#   - fiscalCode: "11111111111"           # notices (their IBANs), or whose receipts you get
#     ibans: [IT60X0542811101000000654321]
#     broadcast: true                     # you are a broadcast station of this EC

# send:
#   sync: true                            # your station calls SEND's price API (run with --send-port)

# aca:                                    # synchronous ECs confer every position to ACA (paCreatePosition)
#   confers: true                         # check that your payable notices are in ACA
#   url: http://127.0.0.1:8087            # the harness ACA your back office confers to: station-harness aca

notices:                                  # your test data, by role. A run PAYS some payable notices
  payable:                                # (each at most once) and lists them: reload them before the
    - "301000000000100121"                # next run. Give fiscalCode when two ECs share a code:
                                          # - { fiscalCode: "77777777777", noticeNumber: "3..." }
  # multiBeneficiary: ["301000000000100222"]  # payable, 2-5 transfers, one to a secondary EC
  # postal: ["301000000000100323"]            # payable to a postal account (allCCP true)
  # stamp: ["301000000000100424"]             # payable with a digital stamp (primitive version 2)
  # expired: ["301000000000100626"]           # answered PAA_PAGAMENTO_SCADUTO
  # cancelled: ["301000000000100727"]         # answered PAA_PAGAMENTO_ANNULLATO
  # paid: ["301000000000100525"]              # answered PAA_PAGAMENTO_DUPLICATO
  # unknown: ["301999999999999999"]           # default: generated, with a valid check digit
`;
