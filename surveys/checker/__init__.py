"""The ST.13 number checker page (/st13/): application numbers checked against a numbering
system, published or described on the page."""
