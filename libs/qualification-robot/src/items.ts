import { applicableItems, isRobotCheckable, QUALIFICATION_ITEMS, type QualificationItemId, type QualificationModes } from '@fcplat/domain';

/** Which items the robot reports for these modes, in catalogue order (every applicable item with a browser or protocol check). */
export function robotItemsFor(modes: QualificationModes): QualificationItemId[] {
  return applicableItems(modes)
    .filter(isRobotCheckable)
    .map((item) => item.id);
}

/** Every robot-checkable item of the catalogue (FC-01 … FC-21), in order: the report lists them all. */
export function robotCheckableItems(): QualificationItemId[] {
  return QUALIFICATION_ITEMS.filter(isRobotCheckable).map((item) => item.id);
}
