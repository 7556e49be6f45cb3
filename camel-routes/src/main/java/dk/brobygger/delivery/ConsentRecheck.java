package dk.brobygger.delivery;

import dk.brobygger.fhir.consent.Decision;

/**
 * Decides consent again, against the store, right before an attempt. Implemented by the gateway.
 * Throws when the consent store cannot be read: the attempt is then not made (fail closed) and is
 * tried again later.
 */
public interface ConsentRecheck {

  Decision recheck(Disclosure disclosure);
}
