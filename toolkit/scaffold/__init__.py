"""Repository set-up: ``lnm init`` (:mod:`.init`) and the starter specs of ``lnm new`` (:mod:`.starter`)."""
