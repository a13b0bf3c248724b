"""Small hand-made corpora for the portfolio tests (real INPADOC codes, dates and kinds)."""

import datetime as dt

import pyarrow as pa

import patentnav
from patentnav.model.schema import LEGAL_EVENT

D = dt.date
_DATES = ("filing_date", "grant_date", "earliest_priority_date", "publication_date")
_LISTS = ("family_members", "family_jurisdictions", "applicants", "applicants_harmonized", "ipc", "cpc",
          "cited_publications", "cited_npl", "applicant_countries", "priority_countries", "applicant_addresses")
_INTS = ("forward_citations", "family_size", "claims_count")


def corpus(**cols):
    """A Corpus from column lists; dates as datetime.date, lists as Python lists."""
    arrays = {}
    for k, v in cols.items():
        if k in _DATES:
            arrays[k] = pa.array(v, pa.date32())
        elif k in _LISTS:
            arrays[k] = pa.array(v, pa.list_(pa.string()))
        elif k in _INTS:
            arrays[k] = pa.array(v, pa.int32())
        elif k == "legal_events":
            arrays[k] = pa.array(v, pa.list_(LEGAL_EVENT))
        else:
            arrays[k] = pa.array(v, pa.string())
    return patentnav.Corpus(pa.table(arrays))


def ev(date, code, description=None):
    return {"date": date, "code": code, "description": description}
