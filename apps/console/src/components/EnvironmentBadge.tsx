import { environmentLabel, isEnvironmentOf, isProductionEnvironment, LIVE_ENVIRONMENT_PRODUCT_LABELS, type LiveEnvironmentProduct } from '@fcplat/domain';

/** The label of an environment without the product's name (« Bac à sable FranceConnect » → « Bac à sable »). */
export function shortEnvironmentLabel(product: LiveEnvironmentProduct, environment: string): string {
  if (!isEnvironmentOf(product, environment)) return environment;
  const label = environmentLabel(product, environment);
  const short = label.replace(new RegExp(`\\s*${LIVE_ENVIRONMENT_PRODUCT_LABELS[product]}$`), '').trim();
  return short === '' ? label : short;
}

/** Beside an environment's name: « en service » when it is the live one, « doublure de test » when it points at a stand-in. */
export function CredentialMarkers(props: { live: boolean; standIn: boolean }) {
  return (
    <>
      {props.live ? (
        <>
          {' '}
          <span class="badge badge--ok">en service</span>
        </>
      ) : null}
      {props.standIn ? (
        <>
          {' '}
          <span class="badge badge--neutral">doublure de test</span>
        </>
      ) : null}
    </>
  );
}

/**
 * The live environment of a product as a compact badge: green « Production », neutral
 * « Test : … » for any other environment, amber « non choisi » when staff have not chosen one.
 * `withProduct` prefixes the product (« FranceConnect : Production »), for the client header.
 */
export function EnvironmentBadge(props: { product: LiveEnvironmentProduct; environment: string | null; withProduct?: boolean; short?: boolean }) {
  const { product, environment } = props;
  const production = environment !== null && isEnvironmentOf(product, environment) && isProductionEnvironment(environment);
  const label =
    environment === null
      ? 'non choisi'
      : production
        ? 'Production'
        : `Test : ${props.short ? shortEnvironmentLabel(product, environment) : isEnvironmentOf(product, environment) ? environmentLabel(product, environment) : environment}`;
  const kind = environment === null ? 'unset' : production ? 'production' : 'test';
  return (
    <span class={['badge', `badge--env-${kind}`]} data-environment={environment ?? 'none'} data-kind={kind}>
      {props.withProduct ? `${LIVE_ENVIRONMENT_PRODUCT_LABELS[product]} : ` : ''}
      {label}
    </span>
  );
}
