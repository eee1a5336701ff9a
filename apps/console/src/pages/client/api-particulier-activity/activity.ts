import { ref } from 'vue';

/** Bumped when calls may have changed (a batch sent or progressing): the call log reloads. */
export const activity = ref(0);
