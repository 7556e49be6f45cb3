package dk.brobygger.delivery;

/**
 * One step of a delivery attempt before anything is sent: takes the attempt's state and returns
 * the next one, settling it when the attempt must end here. Free of Camel, so each is tested alone.
 */
@FunctionalInterface
interface AttemptStage {

  AttemptState apply(AttemptState state);
}
