"""Documents the platform issues (公文): the layout shared by every document (``layout``), the
fonts it needs (``fonts``), what can be built (``registry``), the kept builds (``models``) and the
services and pages that request, run and download them."""
