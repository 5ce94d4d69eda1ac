package api

func (a *API) appraisalRoutes() []Route { return nil }
