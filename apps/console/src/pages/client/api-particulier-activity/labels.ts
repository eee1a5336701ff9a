// The call log's French labels are the domain's (the API's CSV export writes the same).
export { CALL_STATUS_LABELS as STATUS_LABELS, CALL_ORIGIN_LABELS as ORIGIN_LABELS, CALL_MODALITY_LABELS as MODALITY_LABELS } from '@fcplat/domain';
